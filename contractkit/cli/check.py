from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from contractkit.cli._common import SchemasOption

if TYPE_CHECKING:
    from contractkit.config import Config


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
    openapi: Annotated[
        bool,
        typer.Option(
            "--openapi/--no-openapi",
            help="Compare each published version's served OpenAPI document at the base and now (docs/openapi.md).",
        ),
    ] = True,
    fuzz_budget: Annotated[
        float, typer.Option("--fuzz-budget", help="Seconds the bounded fuzz may take (docs/fuzz.md: long runs).")
    ] = 40.0,
) -> None:
    """Gate a change: compatibility within published versions, deprecation policy, waivers, model drift.

    The served OpenAPI documents (the app at the base against the app now, operation by operation), then
    replay and a bounded fuzz, as configured. Steps that do not run are listed as skipped, with the reason.

    Exit 0 pass, 1 breaking change or policy violation, 2 usage or input error.

    Example: [bold]contractkit check --base origin/main --format markdown -o report.md[/bold]
    """
    from contractkit.config import load_config
    from contractkit.gate import run_check
    from contractkit.gate.check import CheckOptions, SkippedStep
    from contractkit.gate.served import settings_from_config
    from contractkit.reporting.formats import render

    config = load_config()
    root = schemas if schemas is not None else config.schemas
    waiver_file = waivers or config.waivers
    if waiver_file is None and (root / "waivers.toml").is_file():
        waiver_file = root / "waivers.toml"
    skip_reasons: dict[str, str] = {}
    if not codegen:
        skip_reasons["codegen"] = "switched off (--no-codegen)"
    elif config.models is None:
        skip_reasons["codegen"] = "not configured: set [tool.contractkit] models to check the generated models"
    if waiver_file is None:
        skip_reasons["waivers"] = f"no waiver file ({root.name}/waivers.toml or [tool.contractkit] waivers)"
    steps: dict[str, Any] = {
        "replay": SkippedStep("switched off (--no-replay)") if not replay else None,
        "fuzz": SkippedStep("switched off (--no-fuzz)") if not fuzz else None,
    }
    if replay or fuzz:
        steps.update(_configured_steps(config, replay=replay, fuzz=fuzz, fuzz_budget=fuzz_budget))
    served = settings_from_config(config) if openapi else SkippedStep("switched off (--no-openapi)")
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
        skip_reasons=skip_reasons,
        served=served,
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


def _configured_steps(config: Config, *, replay: bool, fuzz: bool, fuzz_budget: float) -> dict[str, Any]:
    """The replay and fuzz steps as `[tool.contractkit.replay]` configures them, or why they are skipped."""
    from contractkit.errors import ContractkitError
    from contractkit.gate.check import ExtraStep, SkippedStep
    from contractkit.replay.session import settings_from_config

    pyproject = config.base_dir / "pyproject.toml"
    out: dict[str, Any] = {}
    try:
        configured = settings_from_config(config)
    except ContractkitError as exc:
        error = exc

        def cannot(_registry: Any) -> list[Any]:
            raise error

        for name, wanted in (("replay", replay), ("fuzz", fuzz)):
            if wanted:
                out[name] = ExtraStep(cannot, file=pyproject)
        return out
    target = next(
        (
            f'{key} = "{value}"'
            for key, value in (
                ("app-factory", configured.app_factory),
                ("app", configured.app),
                ("base-url", configured.base_url),
            )
            if value
        ),
        "",
    )
    setting = f"[tool.contractkit.replay] {target} in pyproject.toml" if target else ""
    if replay:
        if not configured.fixtures.is_dir():
            out["replay"] = SkippedStep(
                f"not configured: no fixtures at {_shown(configured.fixtures, config.base_dir)} "
                "([tool.contractkit.replay] fixtures)"
            )
        else:
            from contractkit.replay.session import gate_step as replay_step

            out["replay"] = ExtraStep(replay_step(configured), setting=setting, file=pyproject)
    if fuzz:
        if not (
            configured.app
            or configured.app_factory
            or configured.base_url
            or configured.conversions
            or configured.changes
        ):
            out["fuzz"] = SkippedStep(
                "not configured: no app, app-factory, base-url or conversions in [tool.contractkit.replay], "
                "and no [tool.contractkit] changes"
            )
        else:
            from contractkit.fuzz.gate_step import gate_step as fuzz_step

            out["fuzz"] = ExtraStep(fuzz_step(configured, budget=fuzz_budget), setting=setting, file=pyproject)
    return out


def _shown(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix() + "/"
    except ValueError:
        return str(path)
