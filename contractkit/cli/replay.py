from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._common import SchemasOption, config_and_registry


def _headers(values: list[str]) -> dict[str, str]:
    from contractkit.errors import UsageError

    out: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip():
            raise UsageError(f"--header expects 'Name: value', got {raw!r}")
        out[name.strip()] = value.strip()
    return out


def replay(
    schemas: SchemasOption = None,
    fixtures: Annotated[Path | None, typer.Option("--fixtures", help="Fixture directory.")] = None,
    app: Annotated[
        str | None, typer.Option("--app", help="ASGI app to replay against in-process, as module:attribute.")
    ] = None,
    app_factory: Annotated[
        str | None, typer.Option("--app-factory", help="A function returning the ASGI app, as module:attribute.")
    ] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Replay against a running deployment.")] = None,
    conversions: Annotated[
        str | None,
        typer.Option("--conversions", help="The declared conversions (upgrade/downgrade), as module:attribute."),
    ] = None,
    models: Annotated[str | None, typer.Option("--models", help="Package of the generated models.")] = None,
    header: Annotated[
        list[str] | None, typer.Option("--header", "-H", help="Request header for the live level, 'Name: value'.")
    ] = None,
    offline: Annotated[bool, typer.Option("--offline", help="Only the schema and model levels.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Replay every recorded fixture against every version: schema, generated model, live service, conversions.

    Prints a matrix (fixture × version × level); exit 1 on any unexpected outcome. Defaults come from
    \\[tool.contractkit.replay] in pyproject.toml; options override them.

    Example: [bold]contractkit replay --base-url http://127.0.0.1:8000 -H "Authorization: Bearer $KEY"[/bold]
    """
    import json
    import sys

    from contractkit.cli._output import emit
    from contractkit.errors import UsageError
    from contractkit.replay.render import render_text, to_json
    from contractkit.replay.session import run_replay, settings_from_config

    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, got {fmt!r}")
    config, registry = config_and_registry(schemas)
    settings = settings_from_config(config)
    settings = settings.target(app=app, app_factory=app_factory, base_url=base_url)
    if offline:
        settings = settings.offline()
    settings = settings.override(fixtures=fixtures, conversions=conversions, models=models)
    if header:
        settings = settings.override(headers={**settings.headers, **_headers(header)})

    def progress(name: str) -> None:
        if sys.stderr.isatty():
            typer.echo(f"\rreplaying {name:<40}", err=True, nl=False)

    result = run_replay(registry, settings, progress=progress)
    if sys.stderr.isatty():
        typer.echo("\r" + " " * 60 + "\r", err=True, nl=False)
    emit(json.dumps(to_json(result), indent=2, ensure_ascii=False) if fmt == "json" else render_text(result))
    raise typer.Exit(0 if result.ok else 1)
