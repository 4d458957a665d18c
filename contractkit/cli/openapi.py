"""`contractkit openapi export`: each version's OpenAPI document as the app serves it, written to files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._common import SchemasOption

app = typer.Typer(
    name="openapi",
    help="The app's served OpenAPI documents, one per version (what `contractkit check` compares).",
    no_args_is_help=True,
)


@app.command("export")
def export(
    version: Annotated[
        list[str] | None,
        typer.Option("--version", "-v", help="Only this version (repeatable) \\[default: every version of the index]."),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write <version>.json into (created if needed).")
    ] = Path("openapi"),
    schemas: SchemasOption = None,
) -> None:
    """Write each version's OpenAPI document, as the app serves it, to [bold]<output>/<version>.json[/bold].

    The app: \\[tool.contractkit.openapi] app-factory or app, else the one of \\[tool.contractkit.replay].

    It is imported in a process of its own, with the configured env, and asked GET /<version>/openapi.json
    (\\[tool.contractkit.openapi] url). The same documents `contractkit check` compares; for other tools.

    Exit 0 written, 2 no app configured, an unknown version, or an app that does not start.

    Example: [bold]contractkit openapi export --version v2 -o build/openapi[/bold]
    """
    import json

    from contractkit.cli._common import config_and_registry
    from contractkit.errors import UsageError
    from contractkit.gate.served import served_documents, settings_from_config

    config, registry = config_and_registry(schemas)
    settings = settings_from_config(config)
    if settings is None:
        raise UsageError("no app to build the documents from: set [tool.contractkit.openapi] app-factory (or app)")
    names = [v.name for v in registry.versions]
    wanted = list(version) if version else names
    unknown = [v for v in wanted if v not in names]
    if unknown:
        raise UsageError(f"unknown version {unknown[0]!r}; the index lists {', '.join(names)}")
    served = served_documents(settings, wanted)
    if served.missing:
        name, why = next(iter(served.missing.items()))
        raise UsageError(f"the app serves no document for {name}: {why}")
    output.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        path = output / f"{name}.json"
        path.write_text(json.dumps(served.documents[name], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        typer.echo(f"wrote {path}", err=True)
