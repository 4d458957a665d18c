"""Options and helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contractkit.config import Config, load_config
from contractkit.registry import Registry, load_registry

SchemasOption = Annotated[
    Path | None,
    typer.Option(
        "--schemas", "-s", help="Registry root holding index.toml \\[default: from pyproject, else ./schemas]."
    ),
]


def config_and_registry(schemas: Path | None) -> tuple[Config, Registry]:
    config = load_config()
    return config, load_registry(schemas if schemas is not None else config.schemas)
