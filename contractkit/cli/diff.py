"""`contractkit diff OLD NEW`: compare two schemas; exit 0 compatible, 1 breaking, 2 input error.

OLD and NEW each name a schema as a file path, a registry ref ``name@version``, or ``GITREF:path``
(``GITREF:name@version`` reads the registry as it was at that git ref).
"""

from __future__ import annotations

import enum
import json
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer

from contractkit.errors import InputError, UsageError

_REGISTRY_REF = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)@(?P<version>[A-Za-z0-9_.-]+)$")


class DiffMode(enum.StrEnum):
    backward = "backward"
    forward = "forward"
    full = "full"


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


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
) -> None:
    """Compare two schemas; every breaking finding comes with a witness instance.

    Example: [bold]contractkit diff cart_item@v1 cart_item@v2 --mode full --format json[/bold]
    """
    from contractkit.compat import CompatInputError, compare
    from contractkit.compat.renderers import RENDERERS
    from contractkit.config import load_config

    config = load_config()
    root = schemas if schemas is not None else Path(config.schemas)
    old_schema = load_schema(old, root)
    new_schema = load_schema(new, root)
    try:
        report = compare(
            old_schema,
            new_schema,
            mode.value,
            format_assertion=config.format_assertion and not format_annotation,
            overrides=config.severity,
        )
    except CompatInputError as exc:
        raise InputError(old if exc.side == "old" else new, exc.pointer, exc.reason) from None
    typer.echo(RENDERERS[format.value](report, old_label=old, new_label=new), nl=False)
    if format is OutputFormat.text and mode is not DiffMode.full:
        other = "forward" if mode is DiffMode.backward else "backward"
        typer.echo(f"note: checked {mode.value} only; --mode full also checks {other}", err=True)
    raise typer.Exit(0 if report.compatible else 1)


def load_schema(spec: str, schemas_root: Path) -> Any:
    """Resolve a FILE, ``name@version`` or ``GITREF:path`` spec to a schema (bundled when needed)."""
    path = Path(spec)
    if path.is_file():
        doc = _parse(path.read_bytes(), spec)
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


def _parse(data: bytes, where: str) -> Any:
    try:
        doc = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(where, None, f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict | bool):
        raise InputError(where, "", "a schema must be a JSON object or boolean")
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
        doc = _parse(_git(["show", f"{ref}:{inner}"], spec), spec)
        if not _has_external_ref(doc):
            return doc
    # Cross-file refs (or a registry ref): materialise the registry tree as it was at REF.
    top = _git(["rev-parse", "--show-toplevel"], spec).decode().strip()
    rel_root = (
        Path(schemas_root).resolve().relative_to(Path(top).resolve())
        if Path(schemas_root).is_absolute()
        else Path(schemas_root)
    )
    from contractkit.registry import load_registry

    with tempfile.TemporaryDirectory(prefix="contractkit-diff-") as tmp:
        tar = _git(["archive", "--format=tar", ref, rel_root.as_posix()], spec)
        subprocess.run(["tar", "-x", "-C", tmp], input=tar, check=True)
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
