"""RFC 9457 problem details: the one error type handlers, hooks and conversions raise, and its rendering.

Every error a versioned app sends is `application/problem+json`. Code raises `Problem`; the version gate
renders it (with the app's problem type base), so no handler ever builds an error response itself.
"""

from __future__ import annotations

import http
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import quote

import orjson
from starlette.responses import Response

__all__ = ["PROBLEM_MEDIA_TYPE", "TITLES", "Problem", "pointer_of", "problem_response", "title_of", "uri_path"]

PROBLEM_MEDIA_TYPE = "application/problem+json"

# RFC 9110's names where Python's http module still carries the older ones; any other status falls back
# to http.HTTPStatus's phrase.
TITLES: Mapping[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def title_of(status: int) -> str:
    title = TITLES.get(status)
    if title is not None:
        return title
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return "Error"


class Problem(Exception):
    """An error answer: status, a stable `kind` (the last segment of the problem `type`), detail, extras.

    `errors` are (RFC 6901 pointer into the request body, detail) pairs; `successor` names the version to
    use instead (410, and 409 for a resource an older version cannot represent); `headers` are sent as is.
    """

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str,
        *,
        errors: Sequence[tuple[str, str]] = (),
        successor: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail
        self.errors = tuple(errors)
        self.successor = successor
        self.headers = dict(headers or {})

    def body(self, instance: str | None = None, type_base: str = "/problems/") -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": type_base + self.kind,
            "title": title_of(self.status),
            "status": self.status,
            "detail": self.detail,
        }
        if instance is not None:
            doc["instance"] = instance
        if self.errors:
            doc["errors"] = [{"pointer": p, "detail": d} for p, d in self.errors]
        if self.successor is not None:
            doc["successor"] = self.successor
        return doc


def problem_response(problem: Problem, instance: str | None = None, type_base: str = "/problems/") -> Response:
    """`problem` as an `application/problem+json` response; `instance` is the request path (see uri_path)."""
    return Response(
        orjson.dumps(problem.body(instance, type_base)),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers or None,
    )


_URI_SAFE = "/-._~!$&'()*+,;=:@"
_ALREADY_SAFE = re.compile(r"[A-Za-z0-9/\-._~!$&'()*+,;=:@]*")


def uri_path(path: str) -> str:
    """The request path as an ASCII URI reference (for `instance` and `Link`): percent-encode the rest."""
    if _ALREADY_SAFE.fullmatch(path):
        return path  # the usual case, and far cheaper than quote()
    return quote(path, safe=_URI_SAFE)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_of(loc: Iterable[Any]) -> str:
    """A pydantic error location inside the body as an RFC 6901 JSON pointer (`""` is the whole body).

    Union-branch labels that pydantic inserts (model names such as `CartItemUpdate1`, `function-after[...]`)
    are not part of the document and are dropped.
    """
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(str(item))
        elif isinstance(item, str):
            if item[:1].isupper() or "[" in item:
                continue
            parts.append(_escape(item))
    return "".join("/" + p for p in parts)


def validation_problem(errors: Iterable[Any], *, fastapi: bool = False) -> Problem:
    """pydantic validation errors of the body (locations inside it), or FastAPI's (`fastapi`: located
    under "body", "path", ...), as one 422 with a pointer per error."""
    pointers: list[tuple[str, str]] = []
    for err in errors:
        loc = tuple(err.get("loc", ()))
        if fastapi and loc and loc[0] == "body":
            loc = loc[1:]
        pointers.append((pointer_of(loc), str(err.get("msg", "invalid"))))
    return Problem(422, "validation-error", "the request body does not validate", errors=pointers)
