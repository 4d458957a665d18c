"""`contractkit changelog` renders the engine's findings between two versions for API consumers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def test_changelog_v1_to_v2(cli: Callable[..., Any]) -> None:
    result = cli("changelog", "v1", "v2", "--schemas", str(ROOT / "schemas"))
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    breaking = text[text.index("## Breaking changes") : text.index("## Other changes")]
    other = text[text.index("## Other changes") :]
    assert (
        '- `cart_create` (what your client sends) at `/required`: property "currency" is now required'
        ' — e.g. `{"customer_id": "cus_123"}` was accepted by v1' in breaking
    )
    assert "`cart_item_add` (what your client sends) at `/properties/unit_price" in breaking
    assert "`cart_item_update`" not in breaking  # v2 still accepts every v1 update
    assert "sunset on **2027-03-31**" in text
    assert "`problem` (what the API returns) at `/title`" in other


def test_changelog_unknown_version_is_exit_2(cli: Callable[..., Any]) -> None:
    result = cli("changelog", "v1", "v9", "--schemas", str(ROOT / "schemas"))
    assert result.exit_code == 2 and result.stderr.strip() == "error: unknown version 'v9' (known: v1, v2)"
