"""Renderers: pure functions of a CompatReport, one format per module, looked up by name.

Every renderer lists errors first, then warnings, then infos (each group in the engine's order), and
can leave out what is below `min_severity` (`contractkit diff --min-severity warning`): the verdict
does not change, only what is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from contractkit.compat._model import CompatReport
from contractkit.compat.renderers import jsonfmt, markdown, text
from contractkit.compat.renderers._common import location, shown


class Renderer(Protocol):
    def __call__(
        self, report: CompatReport, *, old_label: str = "old", new_label: str = "new", min_severity: str = "info"
    ) -> str: ...


RENDERERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "json": jsonfmt.render,
    "markdown": markdown.render,
}

__all__ = ["RENDERERS", "Renderer", "location", "shown"]
