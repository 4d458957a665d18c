"""`contractkit version add|deprecate`: the version lifecycle, each step leaving `contractkit check` green."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from contractkit.cli._common import SchemasOption

if TYPE_CHECKING:
    from contractkit.config import Config

app = typer.Typer(
    name="version",
    help="Add a new head version, or deprecate one, keeping `contractkit check` green.",
    no_args_is_help=True,
)


def _config(schemas: Path | None) -> Config:
    from dataclasses import replace

    from contractkit.config import load_config

    config = load_config()
    return replace(config, schemas=schemas) if schemas is not None else config


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The new version's name, e.g. v3.")],
    schemas: SchemasOption = None,
    released: Annotated[
        dt.datetime | None,
        typer.Option("--released", formats=["%Y-%m-%d"], help="Release date \\[default: today]."),
    ] = None,
    codegen: Annotated[
        bool, typer.Option("--codegen/--no-codegen", help="Regenerate the models (when codegen is configured).")
    ] = True,
) -> None:
    """Add NAME as the new head version, ready to serve.

    Copies the head's schemas and index entry (stable, released today), scaffolds the empty change set from
    the old head, regenerates the models. Replay fixtures inherit the previous head's expectations; name
    NAME in a fixture's `expect` where it differs.

    Example: [bold]contractkit version add v3 && contractkit check[/bold]
    """
    from contractkit.lifecycle import add_version

    config = _config(schemas)
    done = add_version(config, name, released=released.date() if released else None, codegen=codegen)
    root = config.base_dir
    for src, dest in done.copied:
        typer.echo(f"copied {_rel(src, root)}/ -> {_rel(dest, root)}/")
    for rel in done.shared:
        typer.echo(f"shared {rel} (outside {done.previous}/: {name} uses the same file; copy it before changing it)")
    typer.echo(f"added {name} to {_rel(done.index, root)} (stable, after {done.previous})")
    if done.change_set is None:
        typer.echo(
            f"no change set scaffolded ([tool.contractkit] changes is not set; a service on contractkit.fastapi "
            f"needs one from {done.previous} to {name})"
        )
    elif done.change_set_created:
        typer.echo(f"created {_rel(done.change_set, root)} (no changes from {done.previous} to {name} yet)")
    else:
        typer.echo(f"kept {_rel(done.change_set, root)} (it already exists)")
    if _has_fixtures(config):
        typer.echo(f"replay fixtures: {name} inherits each fixture's {done.previous} expectation")
    if done.models is not None and done.models_error is None:
        typer.echo(f"regenerated the models in {_rel(done.models, root)} ({len(done.models_written)} file(s))")
    if done.models_error is not None:
        typer.echo(f"error: the models were not regenerated: {done.models_error}", err=True)
        raise typer.Exit(1)


@app.command("deprecate")
def deprecate(
    name: Annotated[str, typer.Argument(help="The version to deprecate.")],
    sunset: Annotated[
        dt.datetime, typer.Option("--sunset", formats=["%Y-%m-%d"], help="The day the version stops being served.")
    ],
    successor: Annotated[
        str | None, typer.Option("--successor", help="The version to migrate to \\[default: the next one].")
    ] = None,
    deprecated: Annotated[
        dt.datetime | None,
        typer.Option("--deprecated", formats=["%Y-%m-%d"], help="The deprecation date \\[default: today]."),
    ] = None,
    today: Annotated[
        dt.datetime | None,
        typer.Option("--today", formats=["%Y-%m-%d"], help="Evaluate the policy as of this day."),
    ] = None,
    schemas: SchemasOption = None,
) -> None:
    """Deprecate NAME: status, deprecation and sunset dates, successor.

    Refused, with nothing written, when the window is shorter than the policy or the dates contradict
    each other (exit 1), as `contractkit check` would refuse it.

    Example: [bold]contractkit version deprecate v2 --sunset 2027-09-30[/bold]
    """
    from contractkit.lifecycle import DeprecationRefused, deprecate_version

    config = _config(schemas)
    try:
        done = deprecate_version(
            config,
            name,
            sunset=sunset.date(),
            deprecated=deprecated.date() if deprecated else None,
            successor=successor,
            today=today.date() if today else None,
        )
    except DeprecationRefused as exc:
        for rule, message in exc.violations:
            typer.echo(f"error: {message} ({rule})", err=True)
        typer.echo(f"refused: {_rel(exc.index, config.base_dir)} is unchanged", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"{done.name} deprecated on {done.deprecated}, sunset {done.sunset}, successor {done.successor}: "
        f"{done.notice_days} days of notice ({_rel(done.index, config.base_dir)})"
    )


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _has_fixtures(config: Any) -> bool:
    """Whether the project has replay fixtures (`[tool.contractkit.replay] fixtures`, JSON files in it)."""
    from contractkit.replay.session import settings_from_config

    folder = settings_from_config(config).fixtures
    folder = folder if folder.is_absolute() else config.base_dir / folder
    return folder.is_dir() and any(folder.rglob("*.json"))
