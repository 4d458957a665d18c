"""What every rule family is handed: both documents, the date, witnesses, the engine, and `emit`.

Severity and direction of a finding come from the rule table (`contractkit.openapi.catalog`), never from
the family that emits it, so the table is the one place that says what each rule means.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from contractkit.compat import Direction, Finding, Reader, Severity
from contractkit.compat._model import UNDECIDED
from contractkit.openapi._load import Document, Operation, Parameter, SchemaRef
from contractkit.openapi._model import OperationFinding, WitnessRequest, WitnessResponse
from contractkit.openapi._schemas import compare_schemas
from contractkit.openapi._witness import Witnesses

__all__ = ["Context", "RuleMeta", "sunset_date"]

_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})([Tt ].*)?$")


class RuleMeta(Protocol):
    @property
    def severity(self) -> Severity: ...

    @property
    def direction(self) -> Direction: ...


def sunset_date(value: str | None) -> dt.date | str | None:
    """The date of an `x-sunset` (RFC 3339 date or date-time): None when absent, the raw text when invalid."""
    if value is None:
        return None
    m = _DATE.match(value.strip())
    if m is None:
        return value
    try:
        day = dt.date.fromisoformat(m[1])
        if m[2]:
            dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return value
    return day


@dataclass
class Context:
    old: Document
    new: Document
    today: dt.date
    rules: Mapping[str, RuleMeta]
    format_assertion: bool = True
    reader: Reader = "strict"  # how clients read responses
    witnesses: Witnesses = field(init=False)
    memo: dict[Any, tuple[Finding, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.witnesses = Witnesses(self.old, self.new, format_assertion=self.format_assertion)

    def emit(
        self,
        rule_id: str,
        operation: str | None,
        message: str,
        *,
        old_pointer: str | None = None,
        new_pointer: str | None = None,
        schema: Finding | None = None,
        request: WitnessRequest | None = None,
        response: WitnessResponse | None = None,
    ) -> OperationFinding:
        meta = self.rules[rule_id]
        severity: Severity = "warning" if schema is not None and schema.rule_id == UNDECIDED else meta.severity
        return OperationFinding(
            rule_id, severity, meta.direction, operation, message, old_pointer, new_pointer, schema, request, response
        )

    # -- schemas ---------------------------------------------------------------------------------
    def schema_changes(self, old: SchemaRef | None, new: SchemaRef | None, direction: Direction) -> tuple[Finding, ...]:
        """The engine's blocking findings for a schema read in `direction`; a missing schema accepts anything."""
        if old is None and new is None:
            return ()
        o = old or SchemaRef(True, self.old.base, "")
        n = new or SchemaRef(True, self.new.base, "")
        return compare_schemas(
            self.old,
            o,
            self.new,
            n,
            direction,
            format_assertion=self.format_assertion,
            memo=self.memo,
            reader=self.reader,
        )

    # -- witnesses -------------------------------------------------------------------------------
    def old_request(self, op: Operation, *, with_body: bool | None = None) -> WitnessRequest | None:
        """The smallest request the old operation accepts, confirmed as rejected by the new document."""
        return self.witnesses.confirm_request(self.witnesses.request("old", op, with_body=with_body), "old", op.path)

    def request_with(self, op: Operation, param: Parameter, value: Any) -> WitnessRequest | None:
        """The old operation's smallest request with `param` set to `value`, if the new document rejects it."""
        req = self.witnesses.request("old", op)
        if req is None:
            return None
        if param.location == "path":
            req = replace(req, path_params={**req.path_params, param.name: value})
        elif param.location == "query":
            req = replace(req, query={**req.query, param.name: value})
        elif param.location == "header":
            req = replace(req, headers={**req.headers, param.name: value})
        else:
            req = replace(req, cookies={**req.cookies, param.name: value})
        return self.witnesses.confirm_request(req, "old", op.path)

    def request_with_body(self, op: Operation, media: str, body: Any) -> WitnessRequest | None:
        req = self.witnesses.request("old", op)
        if req is None:
            return None
        req = replace(req, content_type=media, body=body, has_body=True)
        return self.witnesses.confirm_request(req, "old", op.path)

    def new_response(
        self, op: Operation, status: str, *, media: str | None = None, body: Any = None, headers: Mapping[str, Any] = {}
    ) -> WitnessResponse | None:
        """A response the new operation documents (with `body`/`headers` put in), if the old one rejects it."""
        resp = self.witnesses.response("new", op, status, media)
        if resp is None:
            return None
        if media is not None and resp.has_body:
            resp = replace(resp, body=body)
        if headers:
            resp = replace(resp, headers={**resp.headers, **headers})
        return self.witnesses.confirm_response(resp, "new", op.method, op.path)
