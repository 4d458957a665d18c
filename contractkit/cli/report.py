from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from contractkit.cli._common import SchemasOption, config_and_registry


def report(
    schemas: SchemasOption = None,
    today: Annotated[
        dt.datetime | None, typer.Option("--today", formats=["%Y-%m-%d"], help="Evaluate dates as of this day.")
    ] = None,
) -> None:
    """Print the contract report: versions, lifecycle, schemas, and what changed between versions.

    Example: [bold]contractkit report --today 2027-04-01[/bold]
    """
    from contractkit.reporting.contract import build_contract_report, render_contract_report

    config, registry = config_and_registry(schemas)
    day = today.date() if today else dt.date.today()
    from contractkit.cli._output import emit

    emit(render_contract_report(build_contract_report(registry, config, day)))
