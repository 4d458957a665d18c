"""The rule table itself: unique ids, complete metadata, every rule exercised, docs up to date."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from contractkit.compat import RULES, compare
from contractkit.compat.catalog import BY_ID, render_markdown
from tests.compat._util import assert_witnesses_hold, ids

ROOT = Path(__file__).resolve().parents[2]


def test_ids_are_unique_kebab_case() -> None:
    seen = [r.id for r in RULES]
    assert len(seen) == len(set(seen))
    for rid in seen:
        assert rid == rid.lower() and " " not in rid and "_" not in rid, rid


def test_every_field_is_filled() -> None:
    for r in RULES:
        assert r.id and r.description and r.family, r
        assert r.severity in ("error", "warning", "info"), r
        assert r.breaks in ("backward", "forward", "both", "none"), r
        assert r.old is not None and r.new is not None, r


def test_every_rule_id_constant_is_in_the_catalog() -> None:
    """Ids are constants at the top of each family module; none may be missing from the table."""
    rules_dir = ROOT / "contractkit" / "compat" / "rules"
    declared: set[str] = set()
    for path in rules_dir.glob("*.py"):
        for node in ast.parse(path.read_text()).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id.isupper()
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and "-" in node.value.value
            ):
                declared.add(node.value.value)
    assert declared, "no rule ids found"
    assert declared <= set(BY_ID), declared - set(BY_ID)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_example_emits_exactly_its_rule(rule) -> None:  # type: ignore[no-untyped-def]
    report = compare(rule.old, rule.new, rule.example_direction, format_assertion=rule.format_assertion)
    assert ids(report) == {rule.id}
    assert_witnesses_hold(rule.old, rule.new, report, rule.format_assertion)
    if rule.severity == "error":
        assert not report.compatible


def test_docs_rules_md_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text()
    assert committed == render_markdown(), "run: python -m contractkit.compat > docs/rules.md"
