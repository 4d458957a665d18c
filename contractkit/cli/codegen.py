from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.cli._common import SchemasOption, config_and_registry
from contractkit.cli._output import emit


def codegen(
    schemas: SchemasOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Output package \\[default: \\[tool.contractkit] models in pyproject]."),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; exit 1 and list the files that are stale.")
    ] = False,
) -> None:
    """Generate Pydantic v2 models for every version with datamodel-code-generator.

    Example: [bold]contractkit codegen --check[/bold]  (in CI: are the committed models up to date?)
    """
    from contractkit.codegen import check_models, write_models

    config, registry = config_and_registry(schemas)
    out_dir = out if out is not None else config.models
    if out_dir is None:
        from contractkit.errors import UsageError

        raise UsageError("no output package: set [tool.contractkit] models in pyproject.toml, or pass --out")
    if check:
        result = check_models(registry, out_dir)
        _warn_extras(out_dir)
        if result.ok:
            emit(f"codegen: models in {out_dir} are up to date")
            return
        for rel in result.stale:
            emit(f"stale: {out_dir / rel} (differs from what the schemas generate)")
        for rel in result.missing:
            emit(f"missing: {out_dir / rel}")
        for rel in result.extra:
            emit(f"extra: {out_dir / rel} (no schema generates it any more)")
        typer.echo("codegen: models are stale; run `contractkit codegen` and commit the result", err=True)
        raise typer.Exit(1)
    written = write_models(registry, out_dir)
    emit(f"codegen: {len(written)} file(s) updated in {out_dir}")
    for rel in written:
        emit(f"  {rel}")
    _warn_extras(out_dir)


def _warn_extras(out_dir: Path) -> None:
    from contractkit._extras import missing_extras

    for need in missing_extras(out_dir):
        try:
            shown = need.file.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            shown = str(need.file)
        typer.echo(f"warning: {need.message(shown)}", err=True)
