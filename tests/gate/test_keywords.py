"""Unknown keywords in the registry's schemas are warnings of the gate, with a "did you mean"."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.gate.conftest import Repo


def test_a_misspelt_keyword_is_a_warning_with_did_you_mean(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v2/cart_item_add.json", lambda d: d.update(requried=["sku"]))
    repo.commit("a typo")
    result = cli("check", "--format", "json", "--no-codegen", "--no-openapi")
    assert result.exit_code == 0, result.stdout  # a warning does not fail the gate
    report = json.loads(result.stdout)
    [step] = [s for s in report["steps"] if s["name"] == "lint"]
    assert step["status"] == "passed" and step["detail"].endswith(", 1 unknown keyword")
    # the lint step warns; the compatibility step reads the unknown keyword as the validators do (an
    # annotation, nothing asserted), so the typo drops the constraint without breaking anyone
    assert {(f["rule_id"], f["severity"], f["file"], f["pointer"]) for f in report["findings"]} == {
        ("unknown-keyword", "warning", "schemas/v2/cart_item_add.json", ""),
        ("annotation-changed", "info", "schemas/v2/cart_item_add.json", "/requried"),
    }
    [f] = [f for f in report["findings"] if f["rule_id"] == "unknown-keyword"]
    assert f["message"] == "unknown keyword 'requried' (did you mean 'required'?); validators ignore it"
    assert f["line"] == 1


def test_the_cart_schemas_have_no_unknown_keyword(repo: Repo, cli: Callable[..., Any]) -> None:
    result = cli("check", "--no-codegen", "--no-openapi")
    assert result.exit_code == 0 and "  pass lint — 16 schema files, 0 unknown keywords" in result.stdout.splitlines()
