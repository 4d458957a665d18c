"""The gate's rule table: complete rows, unique ids, and docs/reference.md in step with it."""

from __future__ import annotations

import re

from contractkit.gate import GATE_RULES
from tests.gate.conftest import ROOT


def test_every_rule_row_is_complete_and_unique() -> None:
    ids = [r.id for r in GATE_RULES]
    assert len(ids) == len(set(ids))
    for r in GATE_RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.id), r.id
        assert r.severity in ("error", "warning", "info"), r.id
        assert r.description.strip() and r.example.strip(), r.id


def test_reference_documents_every_gate_rule_as_the_table_says() -> None:
    text = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): (m.group(2), m.group(3), m.group(4))
        for m in re.finditer(r"^\| `([a-z-]+)` \| (error|warning|info) \| (.+?) \| (.+?) \|$", text, re.M)
    }
    assert set(rows) == {r.id for r in GATE_RULES}
    for r in GATE_RULES:
        assert rows[r.id] == (r.severity, r.description, r.example), r.id
