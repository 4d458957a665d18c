from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from contractkit.cli._common import SchemasOption, config_and_registry


def changelog(
    old: Annotated[str, typer.Argument(help="The earlier version, e.g. v1.")],
    new: Annotated[str, typer.Argument(help="The later version, e.g. v2.")],
    schemas: SchemasOption = None,
    openapi: Annotated[
        Path | None,
        typer.Option(
            "--openapi",
            help="A folder of OpenAPI documents, <version>.json or .yaml (`contractkit openapi export`): "
            "list the operations' changes too.",
        ),
    ] = None,
    served: Annotated[
        bool,
        typer.Option("--served", help="The same, with the documents the configured app serves (docs/openapi.md)."),
    ] = False,
) -> None:
    """Render the changes between two versions as Markdown for API consumers.

    The payloads field by field; with --openapi or --served, the operations too (new, removed, parameters).

    Example: [bold]contractkit changelog v1 v2 > CHANGELOG-v2.md[/bold]
    """
    from contractkit.reporting.changelog import render_changelog

    config, registry = config_and_registry(schemas)
    from contractkit.cli._output import emit

    documents = _documents(config, openapi, served, (old, new)) if openapi is not None or served else None
    emit(render_changelog(registry, old, new, config, documents))


def _documents(config: Any, folder: Path | None, served: bool, versions: tuple[str, str]) -> dict[str, Any]:
    from contractkit.errors import UsageError

    if folder is not None and served:
        raise UsageError("--openapi and --served both name the documents; pass one of them")
    if folder is not None:
        from contractkit._files import load_file

        out = {}
        for version in versions:
            found = [
                folder / f"{version}{ext}"
                for ext in (".json", ".yaml", ".yml")
                if (folder / f"{version}{ext}").is_file()
            ]
            if not found:
                raise UsageError(
                    f"{folder}: no {version}.json (write them with `contractkit openapi export -o {folder}`)"
                )
            out[version] = load_file(found[0])
        return out
    from contractkit.gate.served import served_documents, settings_from_config

    settings = settings_from_config(config)
    if settings is None:
        raise UsageError("--served needs an app: set [tool.contractkit.openapi] app-factory (or app)")
    documents = served_documents(settings, list(versions))
    if documents.missing:
        name, why = next(iter(documents.missing.items()))
        raise UsageError(f"the app serves no document for {name}: {why}")
    return dict(documents.documents)
