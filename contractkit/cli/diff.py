"""`contractkit diff OLD NEW`: compare two schemas or two OpenAPI documents; exit 0 compatible, 1 breaking,
2 input error.

OLD and NEW each name a schema as a file path (JSON or YAML), a registry ref ``name@version``, or
``GITREF:path`` (``GITREF:name@version`` reads the registry as it was at that git ref). Two OpenAPI 3.0/3.1
documents (told apart by their `openapi` field) are compared operation by operation. Anything that is
neither a JSON Schema nor an OpenAPI document is refused; unknown schema keywords are warned about.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from contractkit._files import YAML_SUFFIXES, load_file, parse_text
from contractkit.errors import InputError, UsageError
from contractkit.lint import KeywordWarning, kind_of, require_schema, unknown_keywords

if TYPE_CHECKING:
    from contractkit.compat import Reader

_REGISTRY_REF = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)@(?P<version>[A-Za-z0-9_.-]+)$")


class DiffMode(enum.StrEnum):
    backward = "backward"
    forward = "forward"
    full = "full"


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


class ReaderPolicy(enum.StrEnum):
    strict = "strict"
    tolerant = "tolerant"


class MinSeverity(enum.StrEnum):
    info = "info"
    warning = "warning"
    error = "error"


def diff(
    old: Annotated[str, typer.Argument(help="Old schema: FILE, name@version, or GITREF:path.")],
    new: Annotated[str, typer.Argument(help="New schema: FILE, name@version, or GITREF:path.")],
    mode: Annotated[DiffMode, typer.Option("--mode", "-m", help="Direction(s) to check.")] = DiffMode.backward,
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.text,
    schemas: Annotated[
        Path | None, typer.Option("--schemas", "-s", help="Registry root for name@version refs.")
    ] = None,
    format_annotation: Annotated[
        bool, typer.Option("--format-annotation", help="Read `format` as an annotation, not an assertion.")
    ] = False,
    today: Annotated[
        str | None,
        typer.Option(
            "--today", help="OpenAPI only: the date (YYYY-MM-DD) x-sunset is judged against [default: today]."
        ),
    ] = None,
    min_severity: Annotated[
        MinSeverity,
        typer.Option("--min-severity", help="Show only findings at or above this severity (the verdict is unchanged)."),
    ] = MinSeverity.info,
    reader: Annotated[
        ReaderPolicy | None,
        typer.Option(
            "--reader",
            help="How the reading side reads its schema: strict (as written) or tolerant (ignores properties it "
            "does not know); for OpenAPI documents, how clients read responses. "
            "[default: the index's policy for name@version refs, else strict]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Compare two schemas, or two OpenAPI documents; every breaking finding comes with a witness.

    For OpenAPI documents, requests are checked backward and responses forward, whatever --mode says.

    Example: [bold]contractkit diff cart_item@v1 cart_item@v2 --mode full --format json[/bold]
    """
    from contractkit.compat import CompatInputError, compare
    from contractkit.compat.renderers import RENDERERS
    from contractkit.config import load_config

    config = load_config()
    root = schemas if schemas is not None else Path(config.schemas)
    old_kind, old_doc = load_input(old, root)
    new_kind, new_doc = load_input(new, root)
    if old_kind != new_kind:
        what = {"openapi": "an OpenAPI document", "schema": "a JSON Schema"}
        raise InputError(new, None, f"is {what[new_kind]} but {old} is {what[old_kind]}; compare like with like")
    if old_kind == "openapi":
        if min_severity is not MinSeverity.info:
            raise UsageError("--min-severity applies to JSON Schema comparisons, not yet to OpenAPI documents")
        responses: Reader = "tolerant" if reader is ReaderPolicy.tolerant else "strict"
        _diff_openapi(old, new, old_doc, new_doc, format.value, config, format_annotation, today, responses)
        return
    old_schema, new_schema = old_doc, new_doc
    for label, schema in ((old, old_schema), (new, new_schema)):
        _warn(unknown_keywords(schema, _dialect(schema), file=label))
    policy: Reader = (
        _index_reader(new, root) if reader is None else "tolerant" if reader is ReaderPolicy.tolerant else "strict"
    )
    try:
        report = compare(
            old_schema,
            new_schema,
            mode.value,
            format_assertion=config.format_assertion and not format_annotation,
            overrides=config.severity,
            reader=policy,
        )
    except CompatInputError as exc:
        raise InputError(old if exc.side == "old" else new, exc.pointer, exc.reason) from None
    from contractkit.cli._output import emit

    emit(RENDERERS[format.value](report, old_label=old, new_label=new, min_severity=min_severity.value), nl=False)
    if format is OutputFormat.text and mode is not DiffMode.full:
        other = "forward" if mode is DiffMode.backward else "backward"
        typer.echo(f"note: checked {mode.value} only; --mode full also checks {other}", err=True)
    raise typer.Exit(0 if report.compatible else 1)


def _diff_openapi(
    old: str,
    new: str,
    old_doc: Any,
    new_doc: Any,
    fmt: str,
    config: Any,
    format_annotation: bool,
    today: str | None,
    reader: Reader = "strict",
) -> None:
    from contractkit.openapi import compare_openapi, load_openapi
    from contractkit.openapi.renderers import RENDERERS

    try:
        day = dt.date.fromisoformat(today) if today is not None else None
    except ValueError:
        raise UsageError(f"--today must be a date such as 2027-03-31, not {today!r}") from None
    docs = [load_openapi(d, label=label) for d, label in ((old_doc, old), (new_doc, new))]
    for d in docs:
        _warn(d.lint())
    report = compare_openapi(
        docs[0],
        docs[1],
        today=day,
        format_assertion=config.format_assertion and not format_annotation,
        overrides=config.severity,
        reader=reader,
    )
    from contractkit.cli._output import emit

    emit(RENDERERS[fmt](report, old_label=old, new_label=new), nl=False)
    raise typer.Exit(0 if report.compatible else 1)


def _index_reader(ref: str, root: Path) -> Reader:
    """The index's reader policy for a ``name@version`` ref (``[policy] readers``, ``[readers]``); strict
    for files."""
    match = _REGISTRY_REF.match(ref.rpartition(":")[2])
    if match is None or Path(ref).exists() or not (root / "index.toml").is_file():
        return "strict"
    from contractkit.registry import load_index

    return load_index(root).reader_for(match["name"])


def _warn(warnings: tuple[KeywordWarning, ...]) -> None:
    for w in warnings:
        typer.echo(f"warning: {w.one_line()}", err=True)


def _dialect(schema: Any) -> str:
    from contractkit.dialects import UnsupportedDialectError, dialect_of

    try:
        return dialect_of(schema)
    except UnsupportedDialectError:
        return "2020-12"


def load_input(spec: str, schemas_root: Path) -> tuple[str, Any]:
    """("openapi", a document: path or dict) or ("schema", a bundled schema) for a FILE, name@version or
    GITREF:path spec; anything else is an InputError naming it."""
    path = Path(spec)
    if path.is_file():
        doc = load_file(path)
        if kind_of(doc) == "openapi":
            return "openapi", path  # loaded again by path, so its relative $refs resolve next to it
        require_schema(doc, spec)
        return "schema", _schema_file(path, doc, spec, schemas_root)
    if ":" in spec and not _REGISTRY_REF.match(spec):
        ref, _, inner = spec.partition(":")
        if not _REGISTRY_REF.match(inner):
            doc = _parse(_git(["show", f"{ref}:{inner}"], spec), spec, inner)
            if kind_of(doc) == "openapi":
                return "openapi", doc
    return "schema", load_schema(spec, schemas_root)


def _schema_file(path: Path, doc: Any, spec: str, schemas_root: Path) -> Any:
    if path.suffix.lower() in YAML_SUFFIXES:
        # The registry reads JSON only (for now): a YAML schema is checked here, on its own.
        if _has_external_ref(doc):
            raise InputError(spec, None, "a YAML schema with cross-file $refs is not supported yet; use JSON")
        import jsonschema_rs

        try:
            jsonschema_rs.meta.validate(doc)
        except jsonschema_rs.ValidationError as exc:
            pointer = "".join(f"/{str(t).replace('~', '~0').replace('/', '~1')}" for t in exc.instance_path)
            raise InputError(spec, pointer, f"not a valid JSON Schema: {exc.message}") from None
        return doc
    return load_schema(spec, schemas_root)


def load_schema(spec: str, schemas_root: Path) -> Any:
    """Resolve a FILE, ``name@version`` or ``GITREF:path`` spec to a schema (bundled when needed)."""
    path = Path(spec)
    if path.is_dir():
        raise InputError(spec, None, "is a directory, not a schema file")
    if path.is_file():
        doc = _parse(path.read_bytes(), spec, spec)
        if not _has_external_ref(doc):
            # the same checks as the registry's: metaschema, local $refs, $ref cycles
            from contractkit.registry import load_schema_file

            return load_schema_file(path)
        # Cross-file refs resolve through the registry the file belongs to.
        from contractkit.registry import load_registry

        root = Path(schemas_root).resolve()
        if not path.resolve().is_relative_to(root):
            # refs relative to the file itself, or to the catalogue by $id
            from contractkit.registry import load_schema_file

            return load_schema_file(path)
        return load_registry(schemas_root).bundle_file(path)
    m = _REGISTRY_REF.match(spec)
    if m:
        from contractkit.registry import load_registry

        return load_registry(schemas_root).bundled(m["name"], m["version"])
    if ":" in spec:
        ref, _, inner = spec.partition(":")
        return _from_git(ref, inner, spec, schemas_root)
    raise InputError(spec, None, "no such file, and not a name@version or GITREF:path reference")


def _parse(data: bytes, where: str, name: str) -> Any:
    """Parse file content (JSON, or YAML by suffix), strictly."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(where, None, f"not UTF-8 text (byte {exc.start})") from None
    fmt = "yaml" if Path(name).suffix.lower() in YAML_SUFFIXES else "json"
    doc = parse_text(text, where, fmt)
    if kind_of(doc) != "openapi":
        require_schema(doc, where)
    return doc


def _git(args: list[str], where: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], capture_output=True, check=False)
    except OSError as exc:
        raise UsageError(f"{where}: cannot run git: {exc}") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode(errors="replace").strip().splitlines()
        raise InputError(where, None, f"git {' '.join(args[:2])} failed: {msg[-1] if msg else 'unknown error'}")
    return proc.stdout


def _from_git(ref: str, inner: str, spec: str, schemas_root: Path) -> Any:
    m = _REGISTRY_REF.match(inner)
    if m is None:
        doc = _parse(_git(["show", f"{ref}:{inner}"], spec), spec, inner)
        if not _has_external_ref(doc):
            return doc
    # Cross-file refs (or a registry ref): materialise the registry tree as it was at REF.
    top = _git(["rev-parse", "--show-toplevel"], spec).decode().strip()
    rel_root = (
        Path(schemas_root).resolve().relative_to(Path(top).resolve())
        if Path(schemas_root).is_absolute()
        else Path(schemas_root)
    )
    from contractkit.gate.gitbase import checkout
    from contractkit.registry import load_registry

    with tempfile.TemporaryDirectory(prefix="contractkit-diff-") as tmp:
        why = checkout(Path(top), ref, Path(tmp), rel_root.as_posix())
        if why is not None:
            raise InputError(spec, None, f"cannot read {rel_root} at {ref}: {why}")
        registry = load_registry(Path(tmp) / rel_root)
        if m is not None:
            return registry.bundled(m["name"], m["version"])
        target = Path(tmp) / inner
        if not target.is_file():
            raise InputError(spec, None, f"{inner} is not inside the registry {rel_root} at {ref}")
        return registry.bundle_file(target)


def _has_external_ref(node: Any) -> bool:
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and not r.startswith("#"):
            return True
        return any(_has_external_ref(v) for k, v in node.items() if k not in ("enum", "const", "default", "examples"))
    if isinstance(node, list):
        return any(_has_external_ref(x) for x in node)
    return False
