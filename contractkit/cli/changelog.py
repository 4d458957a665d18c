from __future__ import annotations

from typing import Annotated

import typer

from contractkit.cli._common import SchemasOption, config_and_registry


def changelog(
    old: Annotated[str, typer.Argument(help="The earlier version, e.g. v1.")],
    new: Annotated[str, typer.Argument(help="The later version, e.g. v2.")],
    schemas: SchemasOption = None,
) -> None:
    """Render the changes between two versions as Markdown for API consumers.

    Example: [bold]contractkit changelog v1 v2 > CHANGELOG-v2.md[/bold]
    """
    from contractkit.reporting.changelog import render_changelog

    config, registry = config_and_registry(schemas)
    from contractkit.cli._output import emit

    emit(render_changelog(registry, old, new, config))
