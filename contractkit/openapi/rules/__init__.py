"""Checker: one module per rule family; each decides what breaks, for whom, with a witness.

`FAMILIES` is the order in which they run for every pair of operations; document-wide checks run first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from contractkit.openapi._diff import OperationPair
from contractkit.openapi._model import OperationFinding
from contractkit.openapi.rules import lifecycle, parameters, paths, request_body, responses, security
from contractkit.openapi.rules._context import Context

__all__ = ["DOCUMENT_CHECKS", "FAMILIES", "Context"]

FAMILIES: tuple[Callable[[Context, OperationPair], Iterator[OperationFinding]], ...] = (
    paths.check,
    lifecycle.check,
    parameters.check,
    request_body.check,
    responses.check,
    security.check,
)
DOCUMENT_CHECKS: tuple[Callable[[Context], Iterator[OperationFinding]], ...] = (security.check_document,)
