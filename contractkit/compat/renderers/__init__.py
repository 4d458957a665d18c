"""Renderers: pure functions of a CompatReport, one format per module, looked up by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from contractkit.compat._model import CompatReport
from contractkit.compat.renderers import jsonfmt, markdown, text


class Renderer(Protocol):
    def __call__(self, report: CompatReport, *, old_label: str = "old", new_label: str = "new") -> str: ...


RENDERERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "json": jsonfmt.render,
    "markdown": markdown.render,
}

__all__ = ["RENDERERS", "Renderer"]
