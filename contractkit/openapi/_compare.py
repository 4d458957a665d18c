"""compare_openapi(): load both documents -> pair operations -> rule families -> report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from contractkit.compat import READERS, Reader, Severity
from contractkit.errors import UsageError
from contractkit.openapi._diff import pair_operations
from contractkit.openapi._load import Document, load_openapi
from contractkit.openapi._model import OpenAPIReport, OperationFinding
from contractkit.openapi.catalog import BY_ID
from contractkit.openapi.rules import DOCUMENT_CHECKS, FAMILIES, Context

__all__ = ["compare_openapi"]


def compare_openapi(
    old: Mapping[str, Any] | Path | str | Document,
    new: Mapping[str, Any] | Path | str | Document,
    *,
    today: dt.date | None = None,
    format_assertion: bool | None = None,
    overrides: Mapping[str, Severity] | None = None,
    reader: Reader = "strict",
) -> OpenAPIReport:
    """Compare two OpenAPI 3.0/3.1 documents (dicts, or JSON/YAML file paths) operation by operation.

    Requests are judged backward (the new server must accept what old clients send), responses forward
    (old clients must accept what the new server sends). `today` decides whether an `x-sunset` has passed
    (default: today, UTC). `format_assertion` and `overrides` (rule id -> severity) default to
    `[tool.contractkit]` of the nearest pyproject.toml, as for `contractkit.compare`. `reader` is how the
    clients read responses: `tolerant` clients ignore properties they do not know, so a property added to a
    response body is not a break (the registry's `[policy] readers`, docs/compat.md); requests are always read
    as written.
    """
    if reader not in READERS:
        raise UsageError(f"reader must be one of {', '.join(READERS)}, got {reader!r}")
    if format_assertion is None or overrides is None:
        from contractkit.config import load_config

        config = load_config()
        format_assertion = config.format_assertion if format_assertion is None else format_assertion
        overrides = config.severity if overrides is None else overrides
    old_doc = old if isinstance(old, Document) else load_openapi(old, label="old")
    new_doc = new if isinstance(new, Document) else load_openapi(new, label="new")
    if today is not None and not isinstance(today, dt.date):
        raise UsageError(f"today must be a datetime.date, got {type(today).__name__}")
    ctx = Context(
        old_doc,
        new_doc,
        today or dt.datetime.now(dt.UTC).date(),
        BY_ID,
        format_assertion=format_assertion,
        reader=reader,
    )
    findings: list[OperationFinding] = []
    for doc_check in DOCUMENT_CHECKS:
        findings += doc_check(ctx)
    for pair in pair_operations(old_doc, new_doc):
        for family in FAMILIES:
            findings += family(ctx, pair)
    return OpenAPIReport(old_doc.version, new_doc.version, tuple(_override(f, overrides) for f in findings))


def _override(f: OperationFinding, overrides: Mapping[str, Severity]) -> OperationFinding:
    sev = overrides.get(f.rule_id)
    if sev is None or sev == f.severity:
        return f
    from dataclasses import replace

    return replace(f, severity=sev)
