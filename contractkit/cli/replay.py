from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

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
    fixtures: Annotated[Path, typer.Option("--fixtures", help="Fixture directory.")] = Path("compat_fixtures"),
    app: Annotated[
        str | None,
        typer.Option(
            "--app", help="ASGI app to replay against in-process, as module:attribute (e.g. service.app:app)."
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Replay against a running deployment instead of --app.")
    ] = None,
    conversions: Annotated[
        str | None,
        typer.Option(
            "--conversions",
            help="The service's declared conversions, as module:attribute: an object with upgrade() and downgrade(), "
            "or a function returning one.",
        ),
    ] = None,
    models: Annotated[
        str | None, typer.Option("--models", help="Package of the generated models \\[default: service.models].")
    ] = "service.models",
    header: Annotated[
        list[str] | None, typer.Option("--header", "-H", help="Extra request header for the live level, 'Name: value'.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """Replay every recorded fixture against every version: schema, generated model, live service, conversions.

    Prints a matrix (fixture × version × level); exit 1 on any unexpected outcome.

    Example: [bold]contractkit replay --app service.app:app --conversions service.app:conversions[/bold]
    """
    import json
    import sys

    from contractkit.errors import UsageError
    from contractkit.replay import load_fixtures, load_object
    from contractkit.replay import replay as run_replay
    from contractkit.replay.render import render_text, to_json

    if app and base_url:
        raise UsageError("use either --app or --base-url, not both")
    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, got {fmt!r}")
    _, registry = config_and_registry(schemas)
    fixture_set = load_fixtures(fixtures, registry)
    conv: Any = None
    if conversions:
        conv = load_object(conversions)
        if not hasattr(conv, "upgrade") and callable(conv):
            conv = conv()
    headers = _headers(header or [])

    def progress(name: str) -> None:
        if sys.stderr.isatty():
            typer.echo(f"\rreplaying {name:<40}", err=True, nl=False)

    def run(client: Any) -> Any:
        return run_replay(
            registry,
            fixture_set,
            models_package=models or None,
            conversions=conv,
            client=client,
            headers=headers,
            progress=progress,
        )

    if base_url:
        import httpx

        with httpx.Client(base_url=base_url, timeout=30) as client:
            result = run(client)
    elif app:
        from starlette.testclient import TestClient

        with TestClient(load_object(app), raise_server_exceptions=False) as client:
            result = run(client)
    else:
        result = run(None)
    if sys.stderr.isatty():
        typer.echo("\r" + " " * 60 + "\r", err=True, nl=False)
    typer.echo(json.dumps(to_json(result), indent=2, ensure_ascii=False) if fmt == "json" else render_text(result))
    raise typer.Exit(0 if result.ok else 1)
