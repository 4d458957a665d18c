from __future__ import annotations

from contractkit.cli._common import SchemasOption, config_and_registry
from contractkit.cli._output import emit


def validate(schemas: SchemasOption = None) -> None:
    """Load the version index and every schema: metaschema, `$ref`s, index entries.

    Example: [bold]contractkit validate --schemas schemas[/bold]
    """
    _, registry = config_and_registry(schemas)
    n = len(registry.files)
    emit(f"ok: {len(registry.versions)} versions, {n} schema files valid under draft 2020-12")
