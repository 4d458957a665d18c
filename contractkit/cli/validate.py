from __future__ import annotations

import typer

from contractkit.cli._common import SchemasOption, config_and_registry


def validate(schemas: SchemasOption = None) -> None:
    """Load the version index and every schema: metaschema, `$ref`s, index entries.

    Example: [bold]contractkit validate --schemas schemas[/bold]
    """
    _, registry = config_and_registry(schemas)
    n = len(registry.files)
    typer.echo(f"ok: {len(registry.versions)} versions, {n} schema files valid, each under its own draft's metaschema")
