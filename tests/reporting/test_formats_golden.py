"""Every report format of `contractkit check`, pinned by a golden file (volatile values normalised).

The scenario holds each kind of finding: breaking changes with shrunk witnesses (a request maximum
lowered; a property that became required), a policy violation without a witness (a sunset moved
earlier), a waived finding, a waiver that expires within 14 days, and the served contract's operation
findings located by their operation (a removed operation, a required query parameter with its witness
request, a new operation), from a small ASGI app serving a document per version.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import jsonschema_rs
import pytest

from tests.gate.conftest import ROOT, Repo
from tests.reporting._golden import assert_golden

TODAY = "2026-12-01"
WAIVERS = """
[[waiver]]
rule = "property-became-required"
version = "v2"
schema = "cart_item_update"
pointer = "#/required"                 # a URI fragment: the same pointer as /required
reason = "every v2 client sends a quantity (access logs, 2026-11)"
expires = 2026-12-10
"""

# A stand-in for a real app (no framework: the gate only asks it GET /<version>/openapi.json).
APP = """
from pathlib import Path

async def app(scope, receive, send):
    path = Path(__file__).parent / "served" / (scope["path"].split("/")[1] + ".json")
    status, body = (200, path.read_bytes()) if path.is_file() else (404, b"{}")
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": body})
"""
PYPROJECT = '[tool.contractkit.openapi]\napp = "served_app:app"\n'


def _op(status: str, parameters: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    op: dict[str, Any] = {"responses": {status: {"description": "ok"}}}
    if parameters:
        op["parameters"] = parameters
    return op


CART_ID = {"name": "cart_id", "in": "path", "required": True, "schema": {"type": "string"}}
EXPAND = {"name": "expand", "in": "query", "required": True, "schema": {"enum": ["items"]}}


def _document(version: str, paths: dict[str, Any]) -> str:
    doc = {"openapi": "3.1.0", "info": {"title": "Cart API", "version": version}, "paths": paths}
    return json.dumps(doc, indent=2) + "\n"


def _serve(repo: Repo, *, branch: bool) -> None:
    served = repo.path / "served"
    served.mkdir(exist_ok=True)
    (served / "v1.json").write_text(_document("v1", {"/v1/carts": {"post": _op("201")}}))
    cart = {"get": _op("200", [CART_ID])}
    if branch:  # DELETE removed, GET now requires ?expand=, a new checkout operation
        cart["get"] = _op("200", [CART_ID, EXPAND])
        paths = {"/v2/carts/{cart_id}": cart, "/v2/carts/{cart_id}/checkout": {"post": _op("200", [CART_ID])}}
    else:
        cart["delete"] = _op("204", [CART_ID])
        paths = {"/v2/carts/{cart_id}": cart}
    (served / "v2.json").write_text(_document("v2", paths))


@pytest.fixture
def scenario(repo: Repo) -> Repo:
    repo.git("checkout", "-q", "main")
    (repo.path / "served_app.py").write_text(APP)
    (repo.path / "pyproject.toml").write_text(PYPROJECT)
    _serve(repo, branch=False)
    repo.commit("the served documents")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "--ff-only", "main")
    _serve(repo, branch=True)
    repo.edit_text("index.toml", "sunset = 2027-03-31", "sunset = 2027-03-15")
    repo.edit_json("v2/cart_item_add.json", lambda d: d["properties"]["quantity"].update(maximum=500))
    repo.edit_json("v2/cart_item_update.json", lambda d: d.update(required=["quantity"]))
    (repo.path / "waivers.toml").write_text(WAIVERS)
    repo.commit("a breaking branch")
    return repo


def _normalise(text: str) -> str:
    text = re.sub(r"merge-base with main \([0-9a-f]{12}\)", "merge-base with main (BASE)", text)
    return re.sub(r'("name": "contractkit",\s*"version": )"[^"]*"', r'\1"VERSION"', text)


def _render(cli: Callable[..., Any], fmt: str) -> tuple[int, str]:
    result = cli("check", "--no-codegen", "--today", TODAY, "--waivers", "waivers.toml", "--format", fmt)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, _normalise(result.stdout)


@pytest.mark.parametrize(
    ("fmt", "golden"),
    [
        ("text", "check.txt"),
        ("json", "check.json"),
        ("markdown", "check.md"),
        ("junit", "check.junit.xml"),
        ("github", "check.github.txt"),
        ("sarif", "check.sarif.json"),
    ],
)
def test_format_matches_golden(scenario: Repo, cli: Callable[..., Any], fmt: str, golden: str) -> None:
    code, text = _render(cli, fmt)
    assert code == 1
    assert_golden(golden, text)


def test_json_report_shape(scenario: Repo, cli: Callable[..., Any]) -> None:
    _, text = _render(cli, "json")
    report = json.loads(text)
    jsonschema_rs.validate(json.loads((ROOT / "docs" / "report.schema.json").read_text()), report)
    by_rule = {f["rule_id"]: f for f in report["findings"]}
    assert set(by_rule) == {
        "maximum-decreased",
        "property-became-required",
        "sunset-moved-earlier",
        "waiver-expiring",
        "operation-removed",
        "required-parameter-added",
        "path-added",
    }
    # the witness is the smallest payload that shows the break (the boundary value), with the place named
    witness = by_rule["maximum-decreased"]["witness"]
    assert witness == {"sku": "TSH", "quantity": 501, "unit_price": {"amount_minor": 0, "currency": "EUR"}}
    assert by_rule["maximum-decreased"]["witness_at"] == "/quantity"
    required = by_rule["property-became-required"]
    assert required["witness_at"] == "/quantity" and "quantity" not in required["witness"]
    assert required["waived"].startswith("every v2 client sends a quantity")
    assert by_rule["sunset-moved-earlier"]["waived"] is None
    assert by_rule["waiver-expiring"]["severity"] == "warning" and "in 9 days" in by_rule["waiver-expiring"]["message"]
    # operation findings: located by their operation, a break's witness a whole request
    operations = {
        f["rule_id"]: (f["severity"], f["version"], f["subject"]) for f in report["findings"] if "subject" in f
    }
    assert operations == {
        "operation-removed": ("error", "v2", "DELETE /v2/carts/{cart_id}"),
        "required-parameter-added": ("error", "v2", "GET /v2/carts/{cart_id}"),
        "path-added": ("info", "v2", "POST /v2/carts/{cart_id}/checkout"),
    }
    request = by_rule["required-parameter-added"]["witness"]["request"]
    assert request["method"] == "GET" and request["url"].startswith("/v2/carts/") and "expand" not in request["url"]
    assert "file" in by_rule["operation-removed"] and by_rule["operation-removed"]["file"] is None
    fingerprints = [f["fingerprint"] for f in report["findings"]]
    assert len(set(fingerprints)) == len(fingerprints)


def test_fingerprints_survive_unrelated_edits(scenario: Repo, cli: Callable[..., Any]) -> None:
    """Moving a finding's line (a description grows) or changing its message leaves its fingerprint."""
    _, before = _render(cli, "sarif")
    scenario.edit_json(
        "v2/cart_item_add.json",
        lambda d: d.update(properties={"coupon": {"type": "string"}, **d["properties"]}),  # lines move down
    )
    scenario.edit_text("index.toml", "sunset = 2027-03-15", "sunset = 2027-03-14")
    scenario.commit("unrelated edits")
    _, after = _render(cli, "sarif")

    def prints(sarif: str) -> dict[str, tuple[str, int]]:
        [run] = json.loads(sarif)["runs"]
        return {
            r["ruleId"]: (
                r["partialFingerprints"]["contractkit/v1"],
                r["locations"][0].get("physicalLocation", {}).get("region", {}).get("startLine", 0),
            )
            for r in run["results"]
        }

    a, b = prints(before), prints(after)
    assert {k: v[0] for k, v in a.items()} == {k: b[k][0] for k in a}
    assert a["maximum-decreased"][1] != b["maximum-decreased"][1]  # the line did move


def test_junit_failure_bodies_carry_the_witness(scenario: Repo, cli: Callable[..., Any]) -> None:
    _, text = _render(cli, "junit")
    suite = ET.fromstring(text).find("testsuite")
    assert suite is not None
    bodies = {f.get("type"): f.text or "" for f in suite.iter("failure")}
    body = bodies["maximum-decreased"]
    start = body.index("{")
    assert json.loads(body[start:])["quantity"] == 501 and "the break is at /quantity" in body


def test_github_annotations_carry_the_witness(scenario: Repo, cli: Callable[..., Any]) -> None:
    _, text = _render(cli, "github")
    line = next(x for x in text.splitlines() if "title=maximum-decreased" in x)
    witness = line.split("%0Awitness (the break is at /quantity): ", 1)[1]
    assert json.loads(witness.replace("%0A", "\n").replace("%25", "%"))["quantity"] == 501


def test_a_saved_json_report_renders_every_format_the_same(
    scenario: Repo, cli: Callable[..., Any], tmp_path: Any
) -> None:
    """`python -m contractkit.reporting.render` (what the CI templates use) gives what `check` gives."""
    from contractkit.reporting.render import main

    _, text = _render(cli, "json")
    saved = tmp_path / "report.json"
    saved.write_text(text)
    for fmt in ("text", "markdown", "junit", "github", "sarif", "json"):
        out = tmp_path / f"again.{fmt}"
        assert main([str(saved), "--format", fmt, "-o", str(out)]) == 0
        _, direct = _render(cli, fmt)
        assert _normalise(out.read_text()) == direct, fmt
    saved.write_text('{"tool": "something else"}')
    assert main([str(saved), "--format", "text"]) == 2
