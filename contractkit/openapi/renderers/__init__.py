"""Renderers of operation findings: pure functions of an OpenAPIReport, one format per module."""

from __future__ import annotations

from typing import Protocol

from contractkit.openapi._model import OpenAPIReport
from contractkit.openapi.renderers import jsonfmt, markdown, text


class Renderer(Protocol):
    def __call__(self, report: OpenAPIReport, *, old_label: str = "old", new_label: str = "new") -> str: ...


RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "json": jsonfmt.render,
    "markdown": markdown.render,
}

__all__ = ["RENDERERS", "Renderer"]
