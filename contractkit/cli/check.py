from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from contractkit.cli._common import SchemasOption


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    github = "github"
    sarif = "sarif"


def check(
    schemas: SchemasOption = None,
    base: Annotated[
        str | None, typer.Option("--base", help="Git ref to compare with \\[default: merge-base with main].")
    ] = None,
    today: Annotated[
        dt.datetime | None,
        typer.Option("--today", formats=["%Y-%m-%d"], help="Evaluate every date rule as of this day."),
    ] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to this file instead of stdout.")
    ] = None,
    waivers: Annotated[
        Path | None,
        typer.Option(
            "--waivers", help="Waiver file \\[default: from pyproject, else schemas/waivers.toml if present]."
        ),
    ] = None,
    codegen: Annotated[
        bool, typer.Option("--codegen/--no-codegen", help="Check the generated models for drift.")
    ] = True,
    replay: Annotated[
        bool, typer.Option("--replay/--no-replay", help="Replay the recorded fixtures (see docs/replay.md).")
    ] = True,
    fuzz: Annotated[
        bool, typer.Option("--fuzz/--no-fuzz", help="A bounded fuzz of the service and of the drift between versions.")
    ] = True,
    fuzz_budget: Annotated[
        float, typer.Option("--fuzz-budget", help="Seconds the bounded fuzz may take (docs/fuzz.md: long runs).")
    ] = 40.0,
) -> None:
    """Gate a change: compatibility within published versions, deprecation policy, waivers, model drift.

    Exit 0 pass, 1 breaking change or policy violation, 2 usage or input error.

    Example: [bold]contractkit check --base origin/main --format markdown -o report.md[/bold]
    """
    from contractkit.config import load_config
    from contractkit.gate import CheckOptions, run_check
    from contractkit.reporting.formats import render

    config = load_config()
    root = schemas if schemas is not None else config.schemas
    waiver_file = waivers or config.waivers
    if waiver_file is None and (root / "waivers.toml").is_file():
        waiver_file = root / "waivers.toml"
    steps: dict[str, Any] = {}
    from contractkit.replay.session import settings_from_config

    configured = settings_from_config(config)
    if replay and configured.fixtures.is_dir():
        from contractkit.replay.session import gate_step as replay_step

        steps["replay"] = replay_step(configured)
    if fuzz and (configured.app or configured.app_factory or configured.base_url or configured.conversions):
        from contractkit.fuzz.gate_step import gate_step as fuzz_step

        steps["fuzz"] = fuzz_step(configured, budget=fuzz_budget)
    opts = CheckOptions(
        schemas=root,
        models=config.models if codegen else None,
        base=base,
        today=today.date() if today else dt.date.today(),
        min_deprecation_days=config.min_deprecation_days,
        format_assertion=config.format_assertion,
        severity=config.severity,
        waivers=waiver_file,
        codegen=codegen,
        extra_steps=steps,
    )
    report = run_check(opts)
    color = fmt is ReportFormat.text and output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    rendered = render(report, fmt.value, color=color)
    if output is not None:
        from contractkit.cli._output import write_report

        write_report(rendered if rendered.endswith("\n") else rendered + "\n", output)
        typer.echo(f"contractkit: report written to {output} ({'passed' if report.passed else 'failed'})", err=True)
    elif color:
        from rich.console import Console

        Console(highlight=False).print(rendered)
    else:
        from contractkit.cli._output import emit

        emit(rendered, nl=not rendered.endswith("\n"))
    raise typer.Exit(report.exit_code)
