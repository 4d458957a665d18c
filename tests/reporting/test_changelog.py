"""`contractkit changelog OLD NEW`: a consumer changelog, pinned by golden files for two APIs."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.reporting._golden import assert_golden

ROOT = Path(__file__).resolve().parents[2]
CART = ROOT / "schemas"
ORDERS = Path(__file__).parent / "data" / "orders" / "schemas"


def _section(text: str, title: str) -> str:
    start = text.index(f"## {title}")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


@pytest.mark.parametrize(
    ("schemas", "golden"), [(CART, "changelog-cart-v1-v2.md"), (ORDERS, "changelog-orders-v1-v2.md")]
)
def test_changelog_matches_golden(cli: Callable[..., Any], schemas: Path, golden: str) -> None:
    result = cli("changelog", "v1", "v2", "--schemas", str(schemas))
    assert result.exit_code == 0, result.stderr
    assert_golden(golden, result.stdout)


def test_cart_changelog_in_plain_words(cli: Callable[..., Any]) -> None:
    text = cli("changelog", "v1", "v2", "--schemas", str(CART)).stdout
    breaking, additions = _section(text, "⚠️ Breaking changes"), _section(text, "✨ Additions")
    # the number -> money change, as a person says it, with a before/after of that field
    assert "- **`unit_price`**: changed from a number to an object `{amount_minor, currency}`." in breaking
    assert 'v1: `"unit_price": 1` → v2: `"unit_price": {"amount_minor": 0, "currency": "EUR"}`' in breaking
    assert "- **`currency`**: " in breaking and "is now required" in breaking
    # new optional request fields are additions, not absent
    add = additions[additions.index("### `cart_item_add`") :]
    assert "- **`gift_wrap`**: new optional field (a boolean)." in add
    assert "- **`note`**: new optional field (a string)." in add
    assert "- **`quantity`**: maximum raised from 99 to 999." in add
    # no engine wording, no cut witness
    assert "$defs" not in text and "$ref" not in text and "decides it" not in text


def test_orders_changelog_lists_every_addition(cli: Callable[..., Any]) -> None:
    text = cli("changelog", "v1", "v2", "--schemas", str(ORDERS)).stdout
    breaking, additions = _section(text, "⚠️ Breaking changes"), _section(text, "✨ Additions")
    assert "- **`lines[].qty`**: maximum raised from 50 to 100." in additions
    assert '`"qty": 51` — accepted by v2, rejected by v1' in additions  # the boundary
    assert '- **`shipping`**: new allowed value `"overnight"`.' in additions
    assert "- **`gift_message`**: new optional field (a string)." in additions
    assert "- **`tracking_url`**: new field (a uri string)." in additions
    assert "- **`name`**: maximum length lowered from 100 to 50." in breaking
    assert "- **`weight_kg`**: changed from a number to an integer." in breaking
    assert "- **`coupon`**: removed (was a string); requests that still send it are rejected." in breaking
    assert '- **`status`**: new allowed value `"cancelled"`.' in breaking  # a response: clients may not know it
    assert "Other changes" in text and "None." not in additions


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "v2",
            "v1",
            "error: v2 is not older than v1 (the index orders them v1, v2); the changelog reads from the earlier",
        ),
        ("v1", "v1", "error: changelog needs two different versions, got v1 twice"),
        ("v1", "v9", "error: unknown version 'v9' (known: v1, v2)"),
    ],
)
def test_changelog_refuses_wrong_order(cli: Callable[..., Any], old: str, new: str, message: str) -> None:
    result = cli("changelog", old, new, "--schemas", str(CART))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1


def _operation_lines(text: str) -> set[tuple[str, str, str]]:
    """(section, operation, rule id) of every entry under an Operations heading."""
    out = set()
    for title in ("⚠️ Breaking changes", "✨ Additions", "📝 Other changes"):
        for line in _section(text, title).splitlines():
            match = re.fullmatch(r"- \*\*`([^`]+)`\*\*: .* \(`([a-z-]+)`\)\.", line)
            if match:
                out.add((title.split(" ", 1)[1], match[1], match[2]))
    return out


def test_operation_changes_are_listed_when_documents_are_given(
    cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    docs = tmp_path / "openapi"
    assert cli("openapi", "export", "-o", str(docs)).exit_code == 0
    # The cart's own v1 -> v2: no operation changes (its lifecycle headers and body schemas are said elsewhere).
    plain = cli("changelog", "v1", "v2").stdout
    assert cli("changelog", "v1", "v2", "--openapi", str(docs)).stdout == plain
    v2 = json.loads((docs / "v2.json").read_text())
    paths = v2["paths"]
    del paths["/v2/carts/{cart_id}/items/{item_id}"]["delete"]
    get_cart = paths["/v2/carts/{cart_id}"]["get"]
    paths["/v2/carts/{cart_id}/checkout"] = {"post": copy.deepcopy(get_cart)}
    get_cart["parameters"].append({"name": "expand", "in": "query", "required": True, "schema": {"enum": ["items"]}})
    (docs / "v2.json").write_text(json.dumps(v2))
    text = cli("changelog", "v1", "v2", "--openapi", str(docs)).stdout
    assert _operation_lines(text) == {
        ("Breaking changes", "DELETE /v2/carts/{cart_id}/items/{item_id}", "operation-removed"),
        ("Breaking changes", "GET /v2/carts/{cart_id}", "required-parameter-added"),
        ("Additions", "POST /v2/carts/{cart_id}/checkout", "path-added"),
    }
    # a breaking operation change carries a whole request that v1 accepted and v2 refuses
    details = _section(text, "⚠️ Breaking changes")
    assert "Requests valid in v1 that are refused now" in details and '"url": "/v2/carts/' in details
    counts = re.search(r"\*\*(\d+)\*\* breaking change\(s\), \*\*(\d+)\*\* addition", text)
    before = re.search(r"\*\*(\d+)\*\* breaking change\(s\), \*\*(\d+)\*\* addition", plain)
    assert counts is not None and before is not None
    assert (int(counts[1]) - int(before[1]), int(counts[2]) - int(before[2])) == (2, 1)


def test_changelog_documents_must_be_there(cli: Callable[..., Any], tmp_path: Path) -> None:
    result = cli("changelog", "v1", "v2", "--schemas", str(CART), "--openapi", str(tmp_path))
    assert result.exit_code == 2 and "no v1.json" in result.stderr


def test_served_documents_come_from_the_configured_app(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--served` builds the documents from the app (the cart's: no operation-level change from v1 to v2)."""
    monkeypatch.chdir(ROOT)
    served = cli("changelog", "v1", "v2", "--served")
    assert served.exit_code == 0, served.stderr
    assert served.stdout == cli("changelog", "v1", "v2").stdout
    both = cli("changelog", "v1", "v2", "--served", "--openapi", "x")
    assert both.exit_code == 2 and "pass one of them" in both.stderr
