"""The reader policy at the operation level: how clients read responses decides whether a property added
to a response body breaks them; requests are read by the server as written, whatever the policy."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from contractkit.errors import UsageError
from contractkit.openapi import compare_openapi
from tests.openapi._docs import body, doc, json_content, op, response

TODAY = dt.date(2026, 6, 1)
CLOSED = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"], "additionalProperties": False}
BASE = doc(
    {
        "/items": {
            "post": op(requestBody=body(copy.deepcopy(CLOSED)), responses={"201": response(json_content(CLOSED))}),
        }
    }
)


def _with_new_property(where: str) -> dict[str, Any]:
    new = copy.deepcopy(BASE)
    post = new["paths"]["/items"]["post"]
    schema = (
        post["responses"]["201"]["content"]["application/json"]["schema"]
        if where == "response"
        else post["requestBody"]["content"]["application/json"]["schema"]
    )
    schema["properties"]["note"] = {"type": "string"}
    return new


def _rules(old: Any, new: Any, reader: Any) -> set[tuple[str, str]]:
    report = compare_openapi(old, new, today=TODAY, format_assertion=True, overrides={}, reader=reader)
    return {(f.rule_id, f.location) for f in report.findings}


def test_a_property_added_to_a_response_breaks_strict_clients_only() -> None:
    new = _with_new_property("response")
    assert _rules(BASE, new, "strict") == {("response-body-schema-widened", "POST /items")}
    assert _rules(BASE, new, "tolerant") == set()


def test_requests_are_read_as_written_whatever_the_clients_do() -> None:
    # the server reads requests: removing the new property again breaks clients that send it, tolerant or not
    new = _with_new_property("request")
    assert (
        _rules(new, BASE, "tolerant")
        == _rules(new, BASE, "strict")
        == {("request-body-schema-narrowed", "POST /items")}
    )


def test_an_unknown_reader_is_refused() -> None:
    with pytest.raises(UsageError, match="reader must be one of"):
        compare_openapi(BASE, BASE, today=TODAY, reader="lenient")  # type: ignore[arg-type]
