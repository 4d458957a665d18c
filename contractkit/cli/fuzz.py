from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any

import typer

from contractkit.cli._common import SchemasOption, config_and_registry


def _headers(values: list[str]) -> dict[str, str]:
    from contractkit.errors import UsageError

    out: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or any(c in name for c in " \t\r\n"):
            raise UsageError(f"--header expects 'Name: value', got {raw!r}")
        out[name.strip()] = value.strip()
    return out


def _today(value: str | None) -> dt.date | None:
    from contractkit.errors import UsageError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today expects an ISO date (YYYY-MM-DD), got {value!r}") from None


def _context(values: list[str]) -> dict[str, Any]:
    """`--context name=value`: a JSON value (`42`, `true`, `"x"`), else the text as a string."""
    import json

    from contractkit.errors import UsageError

    out: dict[str, Any] = {}
    for raw in values:
        name, sep, value = raw.partition("=")
        if not sep or not name.strip().isidentifier():
            raise UsageError(f"--context expects 'name=value', got {raw!r}")
        try:
            out[name.strip()] = json.loads(value)
        except ValueError:
            out[name.strip()] = value
    return out


def _fixed_clock(day: dt.date) -> Any:
    noon = dt.datetime.combine(day, dt.time(12, 0), tzinfo=dt.UTC)
    return lambda: noon


def fuzz(
    schemas: SchemasOption = None,
    app: Annotated[
        str | None,
        typer.Option(
            "--app",
            help="ASGI app to fuzz in-process, as module:attribute \\[default: from \\[tool.contractkit.replay]].",
        ),
    ] = None,
    app_factory: Annotated[
        str | None,
        typer.Option(
            "--app-factory",
            help="Build the in-process app as factory(clock=...) so it runs on --today's clock "
            "(e.g. service.app:create_app); needed to check the 410 after a sunset in-process.",
        ),
    ] = None,
    base_url: Annotated[
        str | None, typer.Option("--base-url", help="Fuzz a running deployment instead of an in-process app.")
    ] = None,
    version: Annotated[
        list[str] | None, typer.Option("--version", "-V", help="Version to fuzz (repeatable) \\[default: all].")
    ] = None,
    max_examples: Annotated[
        int, typer.Option("--max-examples", help="Generated cases per operation (fuzzing phase) or per schema.")
    ] = 20,
    seed: Annotated[int | None, typer.Option("--seed", help="Seed for reproducible runs \\[default: random].")] = None,
    time_budget: Annotated[
        float | None, typer.Option("--time-budget", help="Stop cleanly after this many seconds.")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Check the lifecycle as of this date (YYYY-MM-DD) \\[default: today].")
    ] = None,
    header: Annotated[
        list[str] | None,
        typer.Option("--header", "-H", help="Request header, 'Name: value' (e.g. 'Authorization: Bearer <key>')."),
    ] = None,
    drift: Annotated[
        bool,
        typer.Option(
            "--drift", help="Fuzz the shape drift between consecutive versions instead of the service (offline)."
        ),
    ] = False,
    conversions: Annotated[
        str | None,
        typer.Option(
            "--conversions",
            help="With --drift: the declared conversions, as module:attribute (an object with upgrade() and "
            "downgrade(), or a function returning one) \\[default: composed from \\[tool.contractkit] changes].",
        ),
    ] = None,
    context: Annotated[
        list[str] | None,
        typer.Option(
            "--context",
            help="With --drift: a conversion-context value, name=value (repeatable; over \\[tool.contractkit.replay] "
            "context).",
        ),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Also write the JSON result here.")] = None,
) -> None:
    """Fuzz every served version with Schemathesis (positive and negative data, built-in checks, lifecycle
    headers, request-id echo, 410 after the sunset), or with --drift the shape drift between versions.

    Every failure prints its payload, the seed and a curl command. Exit 0 all good, 1 a failure, 2 bad usage.

    Example: [bold]CART_API_KEYS=dev:k contractkit fuzz -H 'Authorization: Bearer k' --max-examples 50[/bold]
    """
    import json
    import random
    import sys

    from contractkit._loading import build, load_object, on_path
    from contractkit.cli._output import emit, write_report
    from contractkit.errors import UsageError
    from contractkit.fuzz import LiveTarget
    from contractkit.fuzz import fuzz as run_fuzz
    from contractkit.fuzz.render import render_text
    from contractkit.replay.session import applied_env, conversions_for, settings_from_config

    if fmt not in ("text", "json"):
        raise UsageError(f"--format must be text or json, got {fmt!r}")
    if sum(x is not None for x in (app, app_factory, base_url)) > 1:
        raise UsageError("use only one of --app, --app-factory and --base-url")
    if conversions and not drift:
        raise UsageError("--conversions only applies with --drift")
    if context and not drift:
        raise UsageError("--context only applies with --drift")
    if drift and (app or app_factory or base_url or header or today):
        raise UsageError("--drift is offline: --app, --app-factory, --base-url, --header and --today do not apply")
    day = _today(today)
    headers = _headers(header or [])
    config, registry = config_and_registry(schemas)
    # With no target on the command line, fuzz what [tool.contractkit.replay] configures: the in-process
    # app factory, its environment (test credentials, memory store) and its headers.
    configured = settings_from_config(config)
    on_path(configured.base_dir)
    env: dict[str, str] = {}
    values = {**configured.context, **_context(context or [])}
    if not drift and not (app or base_url or app_factory) and (configured.app_factory or configured.app):
        app_factory, app = configured.app_factory, configured.app
        env = dict(configured.env)
        headers = {**configured.headers, **headers}
    if seed is None:
        seed = random.SystemRandom().randrange(2**31)
    tty = sys.stderr.isatty()

    def progress(text: str) -> None:
        if tty:
            typer.echo(f"\r{text[:100]:<100}", err=True, nl=False)

    def done(run: Any) -> None:
        if tty:
            typer.echo("\r" + " " * 100 + "\r", err=True, nl=False)
        typer.echo(f"{run.name}: {run.operations} {run.unit}, {run.cases} case(s), {run.seconds:.1f}s", err=True)

    with applied_env(env):
        target: LiveTarget | None = None
        conv: Any = None
        context_text = ""
        if drift:
            conv = conversions_for(registry, configured.override(conversions=conversions, context=values))
            named = conversions or (f"composed from {configured.changes}" if conv is not None else None)
            where = f"drift, conversions {named}" if named else "drift"
        elif base_url:
            target = LiveTarget(base_url=base_url.rstrip("/"))
            where = base_url
        elif app_factory:
            factory = load_object(app_factory)
            if not callable(factory):
                raise UsageError(f"--app-factory {app_factory} is not callable")
            target = LiveTarget(app=build(app_factory, lambda: factory(clock=_fixed_clock(day)) if day else factory()))
            where = f"in-process {app_factory}" + (f"(clock={day.isoformat()})" if day else "()")
        else:
            if day is not None:
                raise UsageError(
                    "--today with an in-process app needs --app-factory (e.g. service.app:create_app), "
                    "so that the app runs on the same clock"
                )
            if app is None:
                raise UsageError(
                    "nothing to fuzz: pass --app, --app-factory or --base-url, or set app-factory in "
                    "[tool.contractkit.replay] (or use --drift)"
                )
            spec = app
            target = LiveTarget(app=build(spec, lambda: load_object(spec)))
            where = f"in-process {app}"
        context_text = f", as of {day.isoformat()}" if day else ""

        result = run_fuzz(
            registry,
            target=target,
            versions=version,
            today=day,
            headers=headers,
            max_examples=max_examples,
            seed=seed,
            time_budget=time_budget,
            drift=drift,
            conversions=conv,
            context=values,
            progress=progress,
            done=done,
            request_id=configured.echo_request_id,
            accepted_problems=configured.accepted_problems,
        )
    document = result.to_json()
    if fmt == "json":
        emit(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        emit(render_text(result, f"contractkit fuzz: {where}{context_text}"))
    if output is not None:
        write_report(json.dumps(document, indent=2, ensure_ascii=False) + "\n", output, what="JSON result")
    raise typer.Exit(0 if result.ok else 1)
