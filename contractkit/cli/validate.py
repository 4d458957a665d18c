"""`contractkit validate [FILE...]`: check the registry (default) or the given schema / OpenAPI files.

Errors (malformed file, metaschema, dangling `$ref`, not a schema at all) exit 2 with one line; unknown
keywords are warnings on stderr with a "did you mean" (exit 1 with --strict).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._common import SchemasOption, config_and_registry
from contractkit.cli._output import emit
from contractkit.lint import KeywordWarning


def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Schema or OpenAPI files (JSON or YAML) to check instead of the registry.", show_default=False
        ),
    ] = None,
    schemas: SchemasOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when there are warnings.")] = False,
) -> None:
    """Load the version index and every schema: metaschema, `$ref`s, index entries, unknown keywords.

    Example: [bold]contractkit validate --schemas schemas[/bold]   or   [bold]contractkit validate openapi.yaml[/bold]
    """
    warnings: list[KeywordWarning] = []
    if files:
        for path in files:
            line, found = _validate_file(path)
            warnings += found
            emit(line)
    else:
        from contractkit.lint import lint_registry

        _, registry = config_and_registry(schemas)
        warnings += lint_registry(registry)
        n = len(registry.files)
        emit(f"ok: {len(registry.versions)} versions, {n} schema files valid, each under its own draft's metaschema")
    for w in warnings:
        typer.echo(f"warning: {w.one_line()}", err=True)
    if warnings and strict:
        raise typer.Exit(1)


def _validate_file(path: Path) -> tuple[str, tuple[KeywordWarning, ...]]:
    from contractkit._files import load_file
    from contractkit.cli.diff import _dialect, _schema_file
    from contractkit.lint import kind_of, require_schema, unknown_keywords

    doc = load_file(path)
    if kind_of(doc) == "openapi":
        from contractkit.openapi import load_openapi

        document = load_openapi(path)
        n = len(document.operations)
        return f"ok: {path}: OpenAPI {document.version} document, {n} operations", document.lint()
    require_schema(doc, path)
    if path.suffix.lower() == ".json":
        from contractkit.registry import load_schema_file

        schema = load_schema_file(path)  # metaschema and `$ref`s, relative to the file
    else:
        schema = _schema_file(path, doc, str(path), path.parent)
    dialect = _dialect(schema)
    return f"ok: {path}: JSON Schema ({dialect})", unknown_keywords(doc, dialect, file=str(path))
