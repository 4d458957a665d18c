"""Value objects of an OpenAPI comparison: witness requests and responses, findings, the report."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

from contractkit.compat import Direction, Finding, Severity
from contractkit.compat._model import UNDECIDED

__all__ = ["OpenAPIReport", "OperationFinding", "WitnessRequest", "WitnessResponse"]

Side = Literal["old", "new"]


def _text(value: Any) -> str:
    """A parameter value as it travels in a URL or header (OpenAPI's simple/form style, primitives)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return ",".join(_text(x) for x in value)
    if isinstance(value, dict):
        return ",".join(f"{k},{_text(v)}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True, slots=True)
class WitnessRequest:
    """A complete HTTP request accepted by the `valid_under` document's operation and not by the other.

    Parameter values are JSON values (what the parameter schemas describe); `url` shows them serialised.
    """

    method: str
    path: str  # the path template, e.g. /v1/carts/{cart_id}
    path_params: dict[str, Any] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, Any] = field(default_factory=dict)
    cookies: dict[str, Any] = field(default_factory=dict)
    content_type: str | None = None
    body: Any = None
    has_body: bool = False
    valid_under: Side = "old"
    rejected_because: str = ""  # why the other document rejects it

    @property
    def url(self) -> str:
        path = self.path
        for name, value in self.path_params.items():
            path = path.replace("{" + name + "}", quote(_text(value), safe=""))
        pairs: list[str] = []
        for name, value in self.query.items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append(f"{quote(name, safe='')}={quote(_text(item), safe='')}")
        return path + ("?" + "&".join(pairs) if pairs else "")

    def to_json(self) -> dict[str, Any]:
        headers = {k: _text(v) for k, v in self.headers.items()}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={_text(v)}" for k, v in self.cookies.items())
        if self.has_body and self.content_type is not None:
            headers["Content-Type"] = self.content_type
        out: dict[str, Any] = {"method": self.method, "url": self.url, "headers": headers}
        if self.has_body:
            out["body"] = self.body
        out["valid_under"] = self.valid_under
        if self.rejected_because:
            out["rejected_because"] = self.rejected_because
        return out


@dataclass(frozen=True, slots=True)
class WitnessResponse:
    """A complete HTTP response the `valid_under` document allows for the operation and the other does not."""

    status: str
    headers: dict[str, Any] = field(default_factory=dict)
    content_type: str | None = None
    body: Any = None
    has_body: bool = False
    valid_under: Side = "new"
    rejected_because: str = ""

    def to_json(self) -> dict[str, Any]:
        headers = {k: _text(v) for k, v in self.headers.items()}
        if self.has_body and self.content_type is not None:
            headers["Content-Type"] = self.content_type
        out: dict[str, Any] = {"status": int(self.status) if self.status.isdigit() else self.status, "headers": headers}
        if self.has_body:
            out["body"] = self.body
        out["valid_under"] = self.valid_under
        if self.rejected_because:
            out["rejected_because"] = self.rejected_because
        return out


@dataclass(frozen=True, slots=True)
class OperationFinding:
    """One change of the API surface, located by operation (``POST /v2/carts``) and JSON pointer.

    `operation` is None for document-wide findings (servers). `schema` is the engine's finding behind a
    schema rule (its rule id, pointer inside the schema and witness instance).
    """

    rule_id: str
    severity: Severity
    direction: Direction
    operation: str | None
    message: str
    old_pointer: str | None = None
    new_pointer: str | None = None
    schema: Finding | None = None
    request: WitnessRequest | None = None
    response: WitnessResponse | None = None

    @property
    def location(self) -> str:
        return self.operation if self.operation is not None else "(document)"

    @property
    def blocking(self) -> bool:
        """An error, or an undecided schema comparison (which blocks like an error: soundness first)."""
        return self.severity == "error" or (self.schema is not None and self.schema.rule_id == UNDECIDED)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule_id": self.rule_id,
            "severity": self.severity,
            "direction": self.direction,
            "operation": self.operation,
            "message": self.message,
            "old_pointer": self.old_pointer,
            "new_pointer": self.new_pointer,
        }
        if self.schema is not None:
            out["schema"] = self.schema.to_json()
        if self.request is not None:
            out["witness_request"] = self.request.to_json()
        if self.response is not None:
            out["witness_response"] = self.response.to_json()
        return out


@dataclass(frozen=True, slots=True)
class OpenAPIReport:
    """Operation findings of two OpenAPI documents, in document order (paths, then methods)."""

    old_version: str
    new_version: str
    findings: tuple[OperationFinding, ...] = ()

    @property
    def compatible(self) -> bool:
        """False iff a finding blocks: an error, or an undecided schema comparison."""
        return not any(f.blocking for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "compatible": self.compatible,
            "kind": "openapi",
            "old_openapi": self.old_version,
            "new_openapi": self.new_version,
            "findings": [f.to_json() for f in self.findings],
        }
