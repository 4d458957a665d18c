"""The rule table itself: well-formed, every row's example emits exactly its rule, and the docs are current."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contractkit.openapi import RULES, compare_openapi
from contractkit.openapi.catalog import BEGIN, END, EXAMPLE_TODAY, OperationRule, render_markdown
from contractkit.openapi.rules import lifecycle, parameters, paths, request_body, responses, security

FAMILY_MODULES = {
    "paths": paths,
    "lifecycle": lifecycle,
    "parameters": parameters,
    "request-body": request_body,
    "responses": responses,
    "security": security,
}


def _module_ids(module: object) -> set[str]:
    return {v for k, v in vars(module).items() if k.isupper() and isinstance(v, str) and re.fullmatch(r"[a-z-]+", v)}


def test_ids_are_unique_kebab_case_and_fully_described() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    for r in RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", r.id), r.id
        assert r.severity in ("error", "warning", "info") and r.direction in ("backward", "forward")
        assert r.description.endswith(".") and r.old and r.new


def test_every_family_constant_is_in_the_table_and_in_its_family() -> None:
    declared = {rid: fam for fam, mod in FAMILY_MODULES.items() for rid in _module_ids(mod)}
    assert set(declared) == {r.id for r in RULES}
    assert {r.id: r.family for r in RULES} == declared


def test_the_table_is_ordered_by_family() -> None:
    families = [r.family for r in RULES]
    assert families == sorted(families, key=list(FAMILY_MODULES).index)


@pytest.mark.parametrize("rule", RULES, ids=[r.id for r in RULES])
def test_example_emits_exactly_its_rule(rule: OperationRule) -> None:
    report = compare_openapi(rule.old, rule.new, today=EXAMPLE_TODAY, format_assertion=True, overrides={})
    assert {f.rule_id for f in report.findings} == {rule.id}
    assert all(f.severity == rule.severity and f.direction == rule.direction for f in report.findings)
    assert report.compatible is (rule.severity != "error")


def test_docs_list_the_rules_as_generated(repo_root: Path) -> None:
    text = (repo_root / "docs" / "openapi.md").read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    current = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert current == render_markdown(), (
        "docs/openapi.md is stale: python -m contractkit.openapi --write docs/openapi.md"
    )
