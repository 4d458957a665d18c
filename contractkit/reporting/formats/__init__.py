"""Renderers of a GateReport: one format per module, pure functions of the report, one name -> renderer map."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from contractkit.gate._model import GateReport
from contractkit.reporting.formats import github, jsonfmt, junit, markdown, sarif, text

__all__ = ["FORMATS", "Renderer", "render"]


class Renderer(Protocol):
    def __call__(self, report: GateReport, *, color: bool = False) -> str: ...


FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": jsonfmt.render,
    "markdown": markdown.render,
    "junit": junit.render,
    "github": github.render,
    "sarif": sarif.render,
}


def render(report: GateReport, fmt: str, *, color: bool = False) -> str:
    renderer: Callable[..., str] = FORMATS[fmt]
    return renderer(report, color=color)
