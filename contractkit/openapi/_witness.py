"""Witness requests and responses: built from a document, and judged against a document.

A witness is only reported when the document it is built from accepts it and the other document
rejects it, both decided here by validating every part (operation, parameters, credentials, media type,
body, required headers) with the real validator. Values come from the document's examples, else from
the engine's candidate sampler, and are kept only when the schema accepts them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from contractkit.compat._doc import Doc
from contractkit.compat._sampler import Sampler
from contractkit.openapi._load import Document, MediaType, Operation, Parameter, Response, SchemaRef, path_param_names
from contractkit.openapi._model import WitnessRequest, WitnessResponse
from contractkit.openapi._schemas import bundle, validator

__all__ = ["Witnesses"]

_NONE: tuple[bool, Any] = (False, None)


def _json_first(content: Mapping[str, MediaType]) -> MediaType | None:
    media = list(content.values())
    for m in media:
        if m.name == "application/json" or m.name.endswith("+json"):
            return m
    return media[0] if media else None


def _media_for(content: Mapping[str, MediaType], content_type: str) -> MediaType | None:
    """The media type entry that covers `content_type` (exact, then `type/*`, then `*/*`)."""
    ct = content_type.split(";")[0].strip().lower()
    by_name = {k.split(";")[0].strip().lower(): v for k, v in content.items()}
    for key in (ct, ct.split("/")[0] + "/*", "*/*"):
        if key in by_name:
            found: MediaType = by_name[key]
            return found
    return None


def _status_entry(op: Operation, status: str) -> Response | None:
    return op.responses.get(status) or op.responses.get(status[:1] + "XX") or op.responses.get("DEFAULT")


class Witnesses:
    """Example values, base requests/responses and the validity checks, for one pair of documents."""

    def __init__(self, old: Document, new: Document, *, format_assertion: bool) -> None:
        self.docs = {"old": old, "new": new}
        self.format_assertion = format_assertion

    # -- values ----------------------------------------------------------------------------------
    def valid(self, doc: Document, ref: SchemaRef | None, value: Any) -> bool:
        if ref is None:
            return True
        v = validator(doc, ref, format_assertion=self.format_assertion)
        if v is None:
            return False
        try:
            return bool(v.is_valid(value))
        except (ValueError, OverflowError, RecursionError):
            return False

    def example(self, doc: Document, ref: SchemaRef | None, given: tuple[Any, ...] = ()) -> tuple[bool, Any]:
        """A value valid under the schema at `ref`: the document's own examples first, else a sampled one.

        A non-empty value is preferred (an empty path segment or query value reads badly in a witness).
        """
        if ref is None:
            return (True, given[0]) if given else (True, "x")
        for value in given:
            if self.valid(doc, ref, value):
                return True, value
        memo: dict[str, tuple[bool, Any]] = doc.cache.setdefault("examples", {})
        if ref.pointer not in memo:
            schema = bundle(doc, ref)  # memoised: the same schema written in many places is sampled once
            found = _NONE
            for value in Sampler(Doc(schema, format_assertion=self.format_assertion)).sample(schema):
                if self.valid(doc, ref, value):
                    if value not in ("", [], {}):
                        found = (True, value)
                        break
                    if found is _NONE:
                        found = (True, value)
            memo[ref.pointer] = found
        return memo[ref.pointer]

    # -- requests --------------------------------------------------------------------------------
    def credentials(self, doc: Document, op: Operation) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """Headers, query and cookies carrying placeholder credentials for the first alternative in force."""
        headers: dict[str, Any] = {}
        query: dict[str, Any] = {}
        cookies: dict[str, Any] = {}
        if not op.security or any(not alt for alt in op.security):
            return headers, query, cookies
        for name, _ in op.security[0]:
            scheme = doc.security_schemes.get(name, {})
            kind = scheme.get("type")
            if kind == "apiKey":
                where = {"header": headers, "query": query, "cookie": cookies}.get(str(scheme.get("in")))
                if where is not None:
                    where[str(scheme.get("name"))] = "key"
            elif kind == "http":
                s = str(scheme.get("scheme", "bearer")).lower()
                headers["Authorization"] = "Basic dXNlcjpwYXNz" if s == "basic" else f"{s.capitalize()} token"
            elif kind in ("oauth2", "openIdConnect"):
                headers["Authorization"] = "Bearer token"
        return headers, query, cookies

    def request(self, side: str, op: Operation, *, with_body: bool | None = None) -> WitnessRequest | None:
        """The smallest request `side`'s operation accepts: required parameters, credentials, a body if needed."""
        doc = self.docs[side]
        headers, query, cookies = self.credentials(doc, op)
        path_params: dict[str, Any] = {}
        by_location = {"header": headers, "query": query, "cookie": cookies, "path": path_params}
        declared = {p.name: p for p in op.parameters if p.location == "path"}
        for name in path_param_names(op.path):
            if name not in declared:
                path_params[name] = "x"
        for p in op.parameters:
            if not p.required:
                continue
            ok, value = self.example(doc, p.schema, p.examples)
            if not ok:
                return None
            by_location[p.location][p.name] = value
        path_params = {n: path_params[n] for n in path_param_names(op.path) if n in path_params}
        req = WitnessRequest(op.method.upper(), op.path, path_params, query, headers, cookies, valid_under="old")
        body = op.request_body
        if body is not None and body.content and (with_body if with_body is not None else body.required):
            media = _json_first(body.content)
            assert media is not None
            ok, value = self.example(doc, media.schema, media.examples)
            if not ok:
                return None
            req = replace(req, content_type=media.name, body=value, has_body=True)
        return req

    def request_problem(self, doc: Document, req: WitnessRequest, path: str) -> str | None:
        """Why `doc` rejects `req` (sent to the operation at `path`, a template of either document), or None."""
        op = doc.find(req.method, path)
        if op is None:
            return f"{doc.source} has no operation {req.method} {path}"
        values = [req.path_params.get(n) for n in path_param_names(req.path)]
        for name, value in zip(path_param_names(op.path), values, strict=False):
            p = next((x for x in op.parameters if x.location == "path" and x.name == name), None)
            if p is not None and not self.valid(doc, p.schema, value):
                return f"path parameter {name!r}: {json.dumps(value)} is not valid"
        for p in op.parameters:
            if p.location == "path":
                continue
            found, value = _lookup(req, p)
            if not found:
                if p.required:
                    return f"required {p.label} is missing"
                continue
            if not self.valid(doc, p.schema, value):
                return f"{p.label}: {json.dumps(value)} is not valid"
        problem = self._security_problem(doc, op, req)
        if problem is not None:
            return problem
        body = op.request_body
        if body is None or not body.content:
            return None
        if not req.has_body:
            return "the request body is required" if body.required else None
        media = _media_for(body.content, req.content_type or "")
        if media is None:
            return f"media type {req.content_type} is not accepted"
        if not self.valid(doc, media.schema, req.body):
            return f"the {media.name} body is not valid"
        return None

    def _security_problem(self, doc: Document, op: Operation, req: WitnessRequest) -> str | None:
        if not op.security or any(not alt for alt in op.security):
            return None
        for alt in op.security:
            if all(self._has_credentials(doc, name, req) for name, _ in alt):
                return None
        names = " or ".join("+".join(name for name, _ in alt) for alt in op.security)
        return f"credentials for {names} are missing"

    @staticmethod
    def _has_credentials(doc: Document, name: str, req: WitnessRequest) -> bool:
        scheme = doc.security_schemes.get(name, {})
        kind = scheme.get("type")
        headers = {k.lower(): str(v) for k, v in req.headers.items()}
        if kind == "apiKey":
            where = scheme.get("in")
            key = str(scheme.get("name"))
            if where == "header":
                return key.lower() in headers
            return key in (req.query if where == "query" else req.cookies)
        if kind == "http":
            s = str(scheme.get("scheme", "")).lower()
            return headers.get("authorization", "").lower().startswith(s + " ")
        if kind in ("oauth2", "openIdConnect"):
            return headers.get("authorization", "").lower().startswith("bearer ")
        return True  # mutualTLS and unknown kinds are not visible in a request

    def confirm_request(self, req: WitnessRequest | None, valid_under: str, path: str) -> WitnessRequest | None:
        """`req` as a witness: accepted by the `valid_under` document and rejected by the other; else None."""
        if req is None:
            return None
        other = "new" if valid_under == "old" else "old"
        if self.request_problem(self.docs[valid_under], req, path) is not None:
            return None
        because = self.request_problem(self.docs[other], req, path)
        if because is None:
            return None
        return replace(req, valid_under=valid_under, rejected_because=because)  # type: ignore[arg-type]

    # -- responses -------------------------------------------------------------------------------
    def response(self, side: str, op: Operation, status: str, media: str | None = None) -> WitnessResponse | None:
        """A response of `status` that `side`'s operation documents: required headers, a body when documented."""
        doc = self.docs[side]
        entry = _status_entry(op, status)
        if entry is None:
            return None
        headers: dict[str, Any] = {}
        for h in entry.headers.values():
            if h.required:
                ok, value = self.example(doc, h.schema, h.examples)
                if not ok:
                    return None
                headers[h.name] = value
        resp = WitnessResponse(status, headers, valid_under="new")
        m = entry.content.get(media) if media is not None else _json_first(entry.content)
        if m is not None:
            ok, value = self.example(doc, m.schema, m.examples)
            if not ok:
                return None
            resp = replace(resp, content_type=m.name, body=value, has_body=True)
        return resp

    def response_problem(self, doc: Document, method: str, path: str, resp: WitnessResponse) -> str | None:
        op = doc.find(method, path)
        if op is None:
            return f"{doc.source} has no operation {method.upper()} {path}"
        entry = _status_entry(op, resp.status)
        if entry is None:
            return f"status {resp.status} is not documented"
        present = {k.lower(): v for k, v in resp.headers.items()}
        for key, h in entry.headers.items():
            if key not in present:
                if h.required:
                    return f"required header {h.name} is missing"
                continue
            if not self.valid(doc, h.schema, present[key]):
                return f"header {h.name}: {json.dumps(present[key])} is not valid"
        if resp.has_body and entry.content:
            media = _media_for(entry.content, resp.content_type or "")
            if media is None:
                return f"media type {resp.content_type} is not documented for status {resp.status}"
            if not self.valid(doc, media.schema, resp.body):
                return f"the {media.name} body is not valid for status {resp.status}"
        return None

    def confirm_response(
        self, resp: WitnessResponse | None, valid_under: str, method: str, path: str
    ) -> WitnessResponse | None:
        if resp is None:
            return None
        other = "new" if valid_under == "old" else "old"
        if self.response_problem(self.docs[valid_under], method, path, resp) is not None:
            return None
        because = self.response_problem(self.docs[other], method, path, resp)
        if because is None:
            return None
        return replace(resp, valid_under=valid_under, rejected_because=because)  # type: ignore[arg-type]


def _lookup(req: WitnessRequest, p: Parameter) -> tuple[bool, Any]:
    if p.location == "header":
        for k, v in req.headers.items():
            if k.lower() == p.name.lower():
                return True, v
        return False, None
    where = req.query if p.location == "query" else req.cookies
    return (True, where[p.name]) if p.name in where else (False, None)
