"""Waivers silence exactly their finding; every report format parses as its consumers parse it."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from tests.gate.conftest import ROOT, Repo
from tests.gate.test_policy import check, rule_ids

WAIVER = """
[[waiver]]
rule = "{rule}"
version = "v1"
reason = "announced by e-mail to every v1 client"
expires = {expires}
"""


@pytest.fixture
def two_findings(repo: Repo) -> Repo:
    # Sunset moved from 2027-03-31 to 2027-02-01: earlier, and a 153-day window under the 180-day policy.
    repo.edit_text("index.toml", "sunset = 2027-03-31", "sunset = 2027-02-01")
    repo.commit("shorten v1")
    return repo


def test_two_findings_without_waivers(two_findings: Repo, cli: Callable[..., Any]) -> None:
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1 and rule_ids(report) == {"sunset-moved-earlier", "deprecation-window-too-short"}


def test_waiver_silences_exactly_its_finding(two_findings: Repo, cli: Callable[..., Any]) -> None:
    waivers = two_findings.path / "waivers.toml"
    waivers.write_text(WAIVER.format(rule="sunset-moved-earlier", expires="2027-01-15"))
    code, report = check(cli, "--today", "2026-12-01", "--waivers", str(waivers))
    assert code == 1
    assert rule_ids(report) == {"deprecation-window-too-short"}
    waived = [f for f in report["findings"] if f["waived"]]
    assert [f["rule_id"] for f in waived] == ["sunset-moved-earlier"]
    assert "announced by e-mail" in waived[0]["waived"]

    waivers.write_text(waivers.read_text() + WAIVER.format(rule="deprecation-window-too-short", expires="2027-01-15"))
    code, report = check(cli, "--today", "2026-12-01", "--waivers", str(waivers))
    assert code == 0 and rule_ids(report) == set() and report["summary"]["waived"] == 2
    steps = {s["name"]: s["status"] for s in report["steps"]}
    assert steps["policy"] == "passed" and steps["waivers"] == "passed"


def test_expired_waiver_fails(two_findings: Repo, cli: Callable[..., Any]) -> None:
    waivers = two_findings.path / "waivers.toml"
    waivers.write_text(
        WAIVER.format(rule="sunset-moved-earlier", expires="2027-01-15")
        + WAIVER.format(rule="deprecation-window-too-short", expires="2027-01-15")
    )
    code, report = check(cli, "--today", "2027-01-16", "--waivers", str(waivers))
    assert code == 1
    assert rule_ids(report) == {"waiver-expired", "sunset-moved-earlier", "deprecation-window-too-short"}
    steps = {s["name"]: s["status"] for s in report["steps"]}
    assert steps == {
        "policy": "failed",
        "compatibility": "passed",
        "openapi": "skipped",
        "lint": "passed",
        "codegen": "skipped",
        "replay": "skipped",
        "fuzz": "skipped",
        "waivers": "failed",
    }


def test_unused_waiver_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    waivers = repo.path / "waivers.toml"
    waivers.write_text(WAIVER.format(rule="sunset-moved-earlier", expires="2027-01-15"))
    code, report = check(cli, "--today", "2026-12-01", "--waivers", str(waivers))
    assert code == 1 and rule_ids(report) == {"waiver-unused"}


def test_malformed_waiver_file_is_an_input_error(repo: Repo, cli: Callable[..., Any]) -> None:
    waivers = repo.path / "waivers.toml"
    waivers.write_text('[[waiver]]\nrule = "x"\nversion = "v1"\nreason = "r"\n')
    result = cli("check", "--no-codegen", "--waivers", str(waivers))
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "waivers.toml#/waiver/0/expires: a waiver needs an `expires` date (YYYY-MM-DD)"
    )


def render(cli: Callable[..., Any], fmt: str, tmp: Path) -> str:
    out = tmp / f"report.{fmt}"
    result = cli("check", "--no-codegen", "--today", "2026-12-01", "--format", fmt, "--output", str(out))
    assert result.exit_code == 1, result.stderr
    return out.read_text()


def test_json_report_matches_its_published_schema(two_findings: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    report = json.loads(render(cli, "json", tmp_path))
    schema = json.loads((ROOT / "docs" / "report.schema.json").read_text())
    jsonschema_rs.validate(schema, report)
    assert report["schema_version"] == 1 and report["passed"] is False


def test_junit_parses(two_findings: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    root = ET.fromstring(render(cli, "junit", tmp_path))
    suite = root.find("testsuite")
    assert root.tag == "testsuites" and suite is not None
    failures = suite.findall("testcase/failure")
    assert int(suite.get("failures", "0")) == len(failures) == 2
    assert {f.get("type") for f in failures} == {"sunset-moved-earlier", "deprecation-window-too-short"}
    assert int(suite.get("tests", "0")) == len(suite.findall("testcase"))


def test_sarif_has_required_fields(two_findings: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    sarif = json.loads(render(cli, "sarif", tmp_path))
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    [run] = sarif["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "contractkit" and driver["rules"]
    rule_ids_ = [r["id"] for r in driver["rules"]]
    for result in run["results"]:
        assert result["level"] in {"error", "warning", "note", "none"}
        assert result["message"]["text"]
        assert rule_ids_[result["ruleIndex"]] == result["ruleId"]
        loc = result["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"]["uri"] == "schemas/index.toml" and loc["region"]["startLine"] >= 1


def test_github_annotations_syntax(two_findings: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    lines = render(cli, "github", tmp_path).splitlines()
    pattern = re.compile(r"^::(error|warning|notice) file=[^,:]+(,line=\d+)?,title=[a-z0-9-]+::[^\r\n]+$")
    annotations = [line for line in lines if line.startswith("::")]
    assert len(annotations) == 2 and all(pattern.match(a) for a in annotations), annotations


def test_markdown_and_text(two_findings: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    md = render(cli, "markdown", tmp_path)
    assert md.startswith("## ❌ contractkit: failed") and "| `sunset-moved-earlier` | v1 |" in md
    text = render(cli, "text", tmp_path)
    assert "FAILED" in text and "\x1b[" not in text  # plain when not a terminal


# ---------------------------------------------------------------- waivers and overrides that cannot miss
REQUIRED_WAIVER = """
[[waiver]]
rule = "{rule}"
version = "v1"
schema = "cart_create"
pointer = "{pointer}"
reason = "no v1 client omits the customer (access logs, 2026-11)"
expires = 2027-01-31
"""


@pytest.fixture
def required_customer(repo: Repo) -> Repo:
    repo.edit_json("v1/cart_create.json", lambda d: d.update(required=[*d.get("required", []), "currency"]))
    repo.commit("v1 requires currency")
    return repo


@pytest.mark.parametrize("pointer", ["/required", "#/required", "#/%72equired"])
def test_waiver_pointer_as_json_pointer_or_uri_fragment(
    required_customer: Repo, cli: Callable[..., Any], pointer: str
) -> None:
    waivers = required_customer.path / "waivers.toml"
    waivers.write_text(REQUIRED_WAIVER.format(rule="property-became-required", pointer=pointer))
    code, report = check(cli, "--today", "2026-12-01", "--waivers", str(waivers))
    assert code == 0 and rule_ids(report) == set()
    [waived] = [f for f in report["findings"] if f["waived"]]
    assert waived["rule_id"] == "property-became-required" and waived["pointer"] == "/required"


def test_misspelt_rule_id_in_a_waiver_is_an_input_error(required_customer: Repo, cli: Callable[..., Any]) -> None:
    waivers = required_customer.path / "waivers.toml"
    waivers.write_text(REQUIRED_WAIVER.format(rule="property-became-requried", pointer="/required"))
    result = cli("check", "--no-codegen", "--waivers", str(waivers))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip().endswith(
        "waivers.toml#/waiver/0/rule: unknown rule id 'property-became-requried' "
        "(did you mean 'property-became-required'?)"
    )


def test_misspelt_rule_id_in_severity_overrides_is_an_input_error(repo: Repo, cli: Callable[..., Any]) -> None:
    (repo.path / "pyproject.toml").write_text(
        '[tool.contractkit]\nschemas = "schemas"\n[tool.contractkit.severity]\nproperty-became-requried = "warning"\n'
    )
    result = cli("check", "--no-codegen")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"error: {repo.path / 'pyproject.toml'}#/tool/contractkit/severity/property-became-requried: "
        "unknown rule id 'property-became-requried' (did you mean 'property-became-required'?)"
    )
    # ids from every table are known: the engine's, the gate's, the replay's and the fuzzer's
    (repo.path / "pyproject.toml").write_text(
        '[tool.contractkit.severity]\nproperty-became-required = "warning"\nwaiver-unused = "warning"\n'
        'replay-service-error = "warning"\nnot-a-server-error = "warning"\n'
    )
    assert cli("check", "--no-codegen").exit_code == 0


def test_waiver_expiring_within_14_days_is_a_warning(required_customer: Repo, cli: Callable[..., Any]) -> None:
    waivers = required_customer.path / "waivers.toml"
    waivers.write_text(REQUIRED_WAIVER.format(rule="property-became-required", pointer="/required"))
    code, report = check(cli, "--today", "2027-01-16", "--waivers", str(waivers))
    assert code == 0 and rule_ids(report) == set()
    assert [f["rule_id"] for f in report["findings"] if f["severity"] == "warning"] == []
    code, report = check(cli, "--today", "2027-01-17", "--waivers", str(waivers))
    [expiring] = [f for f in report["findings"] if f["rule_id"] == "waiver-expiring"]
    assert code == 0 and expiring["severity"] == "warning"
    assert expiring["message"].startswith(
        "waiver #1 for property-became-required on v1 expires in 14 days (2027-01-31)"
    )
    code, report = check(cli, "--today", "2027-01-31", "--waivers", str(waivers))
    assert "expires today" in next(f["message"] for f in report["findings"] if f["rule_id"] == "waiver-expiring")
    code, report = check(cli, "--today", "2027-02-01", "--waivers", str(waivers))
    assert code == 1 and "waiver-expired" in rule_ids(report)


def test_report_prints_pointers_the_way_waivers_read_them(required_customer: Repo, cli: Callable[..., Any]) -> None:
    result = cli("check", "--no-codegen", "--today", "2026-12-01")
    assert "schemas/v1/cart_create.json:" in result.stdout and " at /required" in result.stdout
