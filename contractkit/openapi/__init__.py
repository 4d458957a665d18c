"""OpenAPI 3.0 / 3.1 documents compared operation by operation, every body schema through the engine.

The pipeline is the layout::

    _load      a document (dict, JSON or YAML file) -> operations, with `$ref`s followed
    _diff      which operations, parameters, media types, statuses and headers pair up (what changed)
    rules/     one module per family decides what breaks, for whom, with a witness request or response
    catalog    the one ordered rule table (id, severity, direction, family, description, example)
    renderers  text, json, markdown: pure functions of the report

Public API: :func:`compare_openapi`, :class:`OpenAPIReport`, :class:`OperationFinding`,
:class:`WitnessRequest`, :class:`WitnessResponse`, :data:`RULES`, :func:`load_openapi`, :func:`is_openapi`.
"""

from __future__ import annotations

from typing import Any

from contractkit.openapi._compare import compare_openapi
from contractkit.openapi._load import Document, load_openapi
from contractkit.openapi._model import OpenAPIReport, OperationFinding, WitnessRequest, WitnessResponse
from contractkit.openapi.catalog import RULES, OperationRule

__all__ = [
    "RULES",
    "Document",
    "OpenAPIReport",
    "OperationFinding",
    "OperationRule",
    "WitnessRequest",
    "WitnessResponse",
    "compare_openapi",
    "is_openapi",
    "load_openapi",
]


def is_openapi(value: Any) -> bool:
    """True for a parsed OpenAPI document (an object with an `openapi` field)."""
    return isinstance(value, dict) and "openapi" in value
