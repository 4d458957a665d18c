"""The rule table: every operation-level rule id, in order, with its metadata and a minimal example.

Each row carries the default severity, the direction it concerns (backward: requests, read by the
server; forward: responses, read by the client), its family (the module that emits it), a description,
and an example pair of documents that emits exactly that rule on `EXAMPLE_TODAY`. The examples are the
table's tests (`tests/openapi/test_catalog.py`) and the rule list of `docs/openapi.md`: regenerate it
with ``python -m contractkit.openapi --write docs/openapi.md``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from contractkit.compat import Direction, Severity
from contractkit.openapi.rules import lifecycle as L
from contractkit.openapi.rules import parameters as P
from contractkit.openapi.rules import paths as A
from contractkit.openapi.rules import request_body as B
from contractkit.openapi.rules import responses as R
from contractkit.openapi.rules import security as S

__all__ = ["BY_ID", "EXAMPLE_TODAY", "RULES", "OperationRule", "render_markdown"]

EXAMPLE_TODAY = dt.date(2026, 6, 1)


@dataclass(frozen=True, slots=True)
class OperationRule:
    id: str
    severity: Severity
    direction: Direction
    family: str
    description: str
    old: dict[str, Any]
    new: dict[str, Any]


def _r(
    id: str, severity: Severity, direction: Direction, family: str, description: str, old: Any, new: Any
) -> OperationRule:
    return OperationRule(id, severity, direction, family, description, old, new)


def _doc(paths: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"openapi": "3.1.0", "info": {"title": "example", "version": "1"}, "paths": paths, **top}


_OK = {"200": {"description": "ok"}}


def _op(**fields: Any) -> dict[str, Any]:
    return {"responses": _OK, **fields}


def _get(**fields: Any) -> dict[str, Any]:
    return _doc({"/a": {"get": _op(**fields)}})


def _q(name: str, required: bool = False, schema: Any = None, where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "schema": schema or {"type": "string"}}


def _body(required: bool = True, schema: Any = None, media: tuple[str, ...] = ("application/json",)) -> Any:
    return {"required": required, "content": {m: {"schema": schema or {"type": "object"}} for m in media}}


def _post(**fields: Any) -> dict[str, Any]:
    return _doc({"/a": {"post": _op(**fields)}})


def _resp(status: str = "200", **fields: Any) -> dict[str, Any]:
    return {status: {"description": "r", **fields}}


def _json(schema: Any, *more: str) -> dict[str, Any]:
    return {m: {"schema": schema} for m in ("application/json", *more)}


def _hdr(required: bool = True, schema: Any = None) -> dict[str, Any]:
    return {"X-Rate": {"required": required, "schema": schema or {"type": "integer"}}}


_OBJ_A = {"type": "object", "properties": {"a": {"type": "integer"}}}
_KEY = {"components": {"securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}}}
_OAUTH = {
    "components": {
        "securitySchemes": {
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "https://auth.example/token", "scopes": {"read": "", "write": ""}}
                },
            }
        }
    }
}
_BEARER = {"components": {"securitySchemes": {"auth": {"type": "http", "scheme": "bearer"}}}}
_APIKEY_AS_AUTH = {"components": {"securitySchemes": {"auth": {"type": "apiKey", "in": "header", "name": "X-Key"}}}}

RULES: tuple[OperationRule, ...] = (
    # paths
    _r(A.PATH_REMOVED, "error", "backward", "paths", "A path was removed with its operations, which were not "
       "deprecated.",
       _get(), _doc({})),
    _r(A.OPERATION_REMOVED, "error", "backward", "paths", "An operation (a method of a path that remains) was removed "
       "without being deprecated.",
       _doc({"/a": {"get": _op(), "post": _op()}}), _get()),
    _r(A.DEPRECATED_OPERATION_REMOVED, "warning", "backward", "paths", "A deprecated operation without `x-sunset` was "
       "removed: clients were warned, but given no date.",
       _doc({"/a": {"get": _op(), "post": _op(deprecated=True)}}), _get()),
    _r(A.OPERATION_REMOVED_BEFORE_SUNSET, "error", "backward", "paths", "A deprecated operation was removed before its "
       "`x-sunset` date.",
       _doc({"/a": {"get": _op(), "post": _op(deprecated=True, **{"x-sunset": "2099-01-01"})}}), _get()),
    _r(A.OPERATION_REMOVED_AFTER_SUNSET, "info", "backward", "paths", "A deprecated operation was removed on or after "
       "its `x-sunset` date, as announced.",
       _doc({"/a": {"get": _op(), "post": _op(deprecated=True, **{"x-sunset": "2020-01-01"})}}), _get()),
    _r(A.PATH_ADDED, "info", "backward", "paths", "A new path.", _doc({}), _get()),
    _r(A.OPERATION_ADDED, "info", "backward", "paths", "A new operation on an existing path.",
       _get(), _doc({"/a": {"get": _op(), "post": _op()}})),
    # lifecycle
    _r(L.OPERATION_DEPRECATED, "info", "backward", "lifecycle", "An operation was marked `deprecated: true`.",
       _get(), _get(deprecated=True)),
    _r(L.OPERATION_REACTIVATED, "info", "backward", "lifecycle", "An operation is no longer deprecated.",
       _get(deprecated=True), _get()),
    _r(L.OPERATION_SUNSET_MOVED_EARLIER, "warning", "backward", "lifecycle", "The `x-sunset` of an operation moved "
       "to an earlier date than clients were told.",
       _get(deprecated=True, **{"x-sunset": "2099-06-01"}), _get(deprecated=True, **{"x-sunset": "2099-01-01"})),
    _r(L.SUNSET_INVALID, "warning", "backward", "lifecycle", "An `x-sunset` that is not an RFC 3339 date "
       "(removal can then never be judged).",
       _get(deprecated=True), _get(deprecated=True, **{"x-sunset": "next year"})),
    # parameters
    _r(P.REQUIRED_PARAMETER_ADDED, "error", "backward", "parameters", "A new required parameter: old clients do not "
       "send it.", _get(), _get(parameters=[_q("q", True)])),
    _r(P.OPTIONAL_PARAMETER_ADDED, "info", "backward", "parameters", "A new optional parameter.",
       _get(), _get(parameters=[_q("q")])),
    _r(P.PARAMETER_BECAME_REQUIRED, "error", "backward", "parameters", "An optional parameter is now required.",
       _get(parameters=[_q("q")]), _get(parameters=[_q("q", True)])),
    _r(P.PARAMETER_BECAME_OPTIONAL, "info", "backward", "parameters", "A required parameter is now optional.",
       _get(parameters=[_q("q", True)]), _get(parameters=[_q("q")])),
    _r(P.PARAMETER_REMOVED, "warning", "backward", "parameters", "A parameter was removed: old clients still send it, "
       "and the server now ignores (or rejects) it.",
       _get(parameters=[_q("q")]), _get()),
    _r(P.PARAMETER_RENAMED_CASE, "error", "backward", "parameters", "A query or cookie parameter changed the case of "
       "its name; those names are case-sensitive, so old clients send the old name.",
       _get(parameters=[_q("Limit")]), _get(parameters=[_q("limit")])),
    _r(P.HEADER_PARAMETER_CASE_CHANGED, "info", "backward", "parameters", "A header parameter changed the case of its "
       "name (header names are case-insensitive: no change on the wire).",
       _get(parameters=[_q("X-Trace", where="header")]), _get(parameters=[_q("x-trace", where="header")])),
    _r(P.PATH_PARAMETER_RENAMED, "info", "backward", "parameters", "A path parameter was renamed (its name never "
       "travels: no change on the wire).",
       _doc({"/a/{id}": {"get": _op(parameters=[_q("id", True, where="path")])}}),
       _doc({"/a/{a_id}": {"get": _op(parameters=[_q("a_id", True, where="path")])}})),
    _r(P.PARAMETER_SCHEMA_NARROWED, "error", "backward", "parameters", "A parameter's schema rejects a value old "
       "clients could send (decided by the engine; the message names its rule, the witness request carries the value).",
       _get(parameters=[_q("q", schema={"type": "integer"})]),
       _get(parameters=[_q("q", schema={"type": "integer", "maximum": 10})])),
    # request bodies
    _r(B.REQUEST_BODY_ADDED_REQUIRED, "error", "backward", "request-body", "A required request body was added where "
       "there was none.", _post(), _post(requestBody=_body())),
    _r(B.REQUEST_BODY_ADDED_OPTIONAL, "info", "backward", "request-body", "An optional request body was added.",
       _post(), _post(requestBody=_body(False))),
    _r(B.REQUEST_BODY_BECAME_REQUIRED, "error", "backward", "request-body", "The request body is now required.",
       _post(requestBody=_body(False)), _post(requestBody=_body())),
    _r(B.REQUEST_BODY_BECAME_OPTIONAL, "info", "backward", "request-body", "The request body is now optional.",
       _post(requestBody=_body()), _post(requestBody=_body(False))),
    _r(B.REQUEST_BODY_REMOVED, "warning", "backward", "request-body", "The request body was removed: old clients still "
       "send one.", _post(requestBody=_body(False)), _post()),
    _r(B.REQUEST_MEDIA_TYPE_REMOVED, "error", "backward", "request-body", "A request media type is no longer accepted.",
       _post(requestBody=_body(media=("application/json", "application/xml"))), _post(requestBody=_body())),
    _r(B.REQUEST_MEDIA_TYPE_ADDED, "info", "backward", "request-body", "A new request media type is accepted.",
       _post(requestBody=_body()), _post(requestBody=_body(media=("application/json", "application/xml")))),
    _r(B.REQUEST_BODY_SCHEMA_NARROWED, "error", "backward", "request-body", "A request body schema rejects a body old "
       "clients could send (decided by the engine per media type).",
       _post(requestBody=_body(schema=_OBJ_A)), _post(requestBody=_body(schema={**_OBJ_A, "required": ["a"]}))),
    # responses
    _r(R.SUCCESS_STATUS_REMOVED, "error", "forward", "responses", "A success (2xx) status is no longer documented.",
       _get(responses={**_resp("200"), **_resp("201")}), _get(responses=_resp("201"))),
    _r(R.NON_SUCCESS_STATUS_REMOVED, "info", "forward", "responses", "A non-success status is no longer documented.",
       _get(responses={**_resp("200"), **_resp("404")}), _get(responses=_resp("200"))),
    _r(R.RESPONSE_STATUS_ADDED, "info", "forward", "responses", "A new status is documented.",
       _get(responses=_resp("200")), _get(responses={**_resp("200"), **_resp("404")})),
    _r(R.RESPONSE_MEDIA_TYPE_REMOVED, "error", "forward", "responses", "A response media type was removed: clients "
       "that accept only it get another.",
       _get(responses=_resp(content=_json({"type": "string"}, "application/xml"))),
       _get(responses=_resp(content=_json({"type": "string"})))),
    _r(R.RESPONSE_MEDIA_TYPE_ADDED, "info", "forward", "responses", "A new response media type.",
       _get(responses=_resp(content=_json({"type": "string"}))),
       _get(responses=_resp(content=_json({"type": "string"}, "application/xml")))),
    _r(R.RESPONSE_BODY_SCHEMA_WIDENED, "error", "forward", "responses", "A response body schema allows a body old "
       "clients reject (decided by the engine per status and media type).",
       _get(responses=_resp(content=_json({"type": "string", "maxLength": 5}))),
       _get(responses=_resp(content=_json({"type": "string"})))),
    _r(R.RESPONSE_HEADER_REMOVED, "error", "forward", "responses", "A required response header was removed.",
       _get(responses=_resp(headers=_hdr())), _get(responses=_resp())),
    _r(R.OPTIONAL_RESPONSE_HEADER_REMOVED, "warning", "forward", "responses", "An optional response header was "
       "removed.",
       _get(responses=_resp(headers=_hdr(False))), _get(responses=_resp())),
    _r(R.RESPONSE_HEADER_BECAME_OPTIONAL, "error", "forward", "responses", "A required response header is now "
       "optional.",
       _get(responses=_resp(headers=_hdr())), _get(responses=_resp(headers=_hdr(False)))),
    _r(R.RESPONSE_HEADER_SCHEMA_WIDENED, "error", "forward", "responses", "A response header's schema allows a value "
       "old clients reject (decided by the engine).",
       _get(responses=_resp(headers=_hdr(schema={"type": "integer", "maximum": 10}))),
       _get(responses=_resp(headers=_hdr()))),
    # security and servers
    _r(S.SECURITY_REQUIREMENT_ADDED, "error", "backward", "security", "Credentials are now required where none were.",
       _doc({"/a": {"get": _op()}}, **_KEY), _doc({"/a": {"get": _op(security=[{"key": []}])}}, **_KEY)),
    _r(S.SECURITY_REQUIREMENT_CHANGED, "error", "backward", "security", "The credentials old clients send (schemes, "
       "scopes) are no longer enough.",
       _doc({"/a": {"get": _op(security=[{"oauth": ["read"]}])}}, **_OAUTH),
       _doc({"/a": {"get": _op(security=[{"oauth": ["read", "write"]}])}}, **_OAUTH)),
    _r(S.SECURITY_SCHEME_CHANGED, "error", "backward", "security", "A security scheme in use now expects other "
       "credentials (type, HTTP scheme, or where the key goes).",
       _doc({"/a": {"get": _op(security=[{"auth": []}])}}, **_BEARER),
       _doc({"/a": {"get": _op(security=[{"auth": []}])}}, **_APIKEY_AS_AUTH)),
    _r(S.SECURITY_REQUIREMENT_RELAXED, "info", "backward", "security", "More kinds of credentials (or none) are "
       "accepted.",
       _doc({"/a": {"get": _op(security=[{"key": []}])}}, **_KEY),
       _doc({"/a": {"get": _op(security=[{"key": []}, {}])}}, **_KEY)),
    _r(S.SERVER_REMOVED, "error", "backward", "security", "A server URL was removed (document, path or operation "
       "level): clients configured with it are stranded.",
       _doc({}, servers=[{"url": "https://a.example"}, {"url": "https://b.example"}]),
       _doc({}, servers=[{"url": "https://a.example"}])),
    _r(S.SERVER_ADDED, "info", "backward", "security", "A new server URL.",
       _doc({}, servers=[{"url": "https://a.example"}]),
       _doc({}, servers=[{"url": "https://a.example"}, {"url": "https://b.example"}])),
)  # fmt: skip

BY_ID: dict[str, OperationRule] = {r.id: r for r in RULES}

BEGIN = "<!-- rules: generated by `python -m contractkit.openapi --write docs/openapi.md`; do not edit by hand -->"
END = "<!-- end of rules -->"


def _compact(old: dict[str, Any], new: dict[str, Any]) -> tuple[str, str]:
    """The parts of an example pair that differ, for the docs (paths, components, servers)."""
    keys = [k for k in ("paths", "components", "servers") if old.get(k) != new.get(k)] or ["paths"]

    def pick(d: dict[str, Any]) -> dict[str, Any]:
        return {k: d[k] for k in keys if k in d}

    return json.dumps(pick(old), sort_keys=True), json.dumps(pick(new), sort_keys=True)


def render_markdown() -> str:
    """The rules section of docs/openapi.md, between its markers."""
    lines = [BEGIN, "", "| id | severity | direction | family | description |", "|---|---|---|---|---|"]
    for r in RULES:
        lines.append(f"| `{r.id}` | {r.severity} | {r.direction} | {r.family} | {r.description} |")
    lines += [
        "",
        f"Examples (each emits exactly its rule, judged on {EXAMPLE_TODAY}; only the parts that differ are shown):",
        "",
    ]
    for r in RULES:
        old, new = _compact(r.old, r.new)
        lines += [f"- `{r.id}`: old `{old}` → new `{new}`"]
    lines += ["", END]
    return "\n".join(lines)
