"""`contractkit init`: start a version index in this project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer


def init(
    schemas: Annotated[
        str | None,
        typer.Option("--schemas", "-s", help="Registry folder to create \\[default: from pyproject, else schemas]."),
    ] = None,
    version: Annotated[str, typer.Option("--first-version", help="Name of the first version.")] = "v1",
    schema: Annotated[str, typer.Option("--schema", help="Name of the starter schema (a request body).")] = "example",
    models: Annotated[
        str | None,
        typer.Option(
            "--models",
            help="Also configure codegen: the folder `contractkit codegen` writes Pydantic models to "
            "(needs contractkit-http\\[codegen]); the models are generated at once.",
        ),
    ] = None,
    changes: Annotated[
        str | None,
        typer.Option("--changes", help="Package of version change sets (`contractkit version add` scaffolds them)."),
    ] = None,
    min_days: Annotated[
        int, typer.Option("--min-deprecation-days", min=0, help="The policy's minimum deprecation window, in days.")
    ] = 180,
) -> None:
    """Start contractkit in this project: a version index, one schema, the settings.

    Writes schemas/index.toml with one version and one schema, and \\[tool.contractkit] in pyproject.toml
    (created, or edited keeping its comments). Then `contractkit check` passes; steps that are not
    configured yet are shown as skipped.

    Example: [bold]git init && contractkit init && contractkit check[/bold]
    """
    from contractkit.lifecycle import init_project

    root = Path.cwd()
    done = init_project(
        root,
        schemas=schemas,
        version=version,
        schema=schema,
        models=models,
        changes=changes,
        min_deprecation_days=min_days,
        today=dt.date.today(),
    )
    typer.echo(f"created {_rel(done.index, root)}")
    typer.echo(f"created {_rel(done.schema, root)}")
    typer.echo(f"{'created' if done.pyproject_created else 'updated'} {_rel(done.pyproject, root)} [tool.contractkit]")
    if models is not None:
        from contractkit.codegen import write_models
        from contractkit.config import load_config
        from contractkit.registry import load_registry

        config = load_config(root)
        assert config.models is not None
        written = write_models(load_registry(config.schemas), config.models)
        typer.echo(f"generated {len(written)} model file(s) in {_rel(config.models, root)}")
    if not (root / ".git").exists():
        typer.echo("note: `contractkit check` compares against git history: run `git init` here first", err=True)
    typer.echo("next: edit the schema, then run `contractkit check` (docs/adopt.md: from here to a CI job)")


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
