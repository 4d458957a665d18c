"""Compatibility within published versions, through `contractkit check` on throwaway git repositories."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from typing import Any

from tests.gate.conftest import Repo
from tests.gate.test_policy import check, rule_ids


def require_currency(data: Any) -> None:
    data["required"] = ["customer_id", "currency"]


def test_breaking_change_to_v1_fails_naming_rule_and_pointer(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v1/cart_create.json", require_currency)
    repo.commit("v1: currency becomes required")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    assert rule_ids(report) == {"property-became-required"}
    [f] = [f for f in report["findings"] if f["rule_id"] == "property-became-required"]
    assert (f["version"], f["schema"], f["pointer"], f["direction"]) == ("v1", "cart_create", "/required", "backward")
    assert f["file"] == "schemas/v1/cart_create.json"
    line = (repo.schemas / "v1" / "cart_create.json").read_text().splitlines()[f["line"] - 1]
    assert '"required"' in line
    assert "currency" not in f["witness"]  # the witness is a v1 payload that v1 accepted and the change refuses


def test_same_change_as_a_new_v3_passes(repo: Repo, cli: Callable[..., Any]) -> None:
    shutil.copytree(repo.schemas / "v2", repo.schemas / "v3")
    repo.edit_json("v3/cart_create.json", lambda d: d.update(required=["customer_id", "currency", "note"]))
    index = (repo.schemas / "index.toml").read_text()
    v3 = index[index.index('name = "v2"') - len("[[versions]]\n") :].replace('"v2"', '"v3"').replace("v2/", "v3/")
    (repo.schemas / "index.toml").write_text(
        index + "\n" + v3.replace("released = 2026-09-01", "released = 2026-12-01")
    )
    repo.commit("v3: note becomes required")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 0, report["findings"]
    assert rule_ids(report) == set() and "v3" in report["versions"]


def test_additive_optional_request_property_passes(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v1/cart_create.json", lambda d: d["properties"].update(coupon={"type": "string", "maxLength": 32}))
    repo.commit("v1: optional coupon")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 0, report["findings"]
    assert rule_ids(report) == set()


def test_additive_property_in_a_tolerant_response_passes(repo: Repo, cli: Callable[..., Any]) -> None:
    # The cart's index reads responses tolerantly ([policy] readers): clients ignore fields they do not know.
    repo.edit_json("v1/cart_item.json", lambda d: d["properties"].update(gift_wrap={"type": "boolean"}))
    repo.commit("v1: items say gift_wrap")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 0, report["findings"]
    assert rule_ids(report) == set()


def test_type_change_in_a_tolerant_response_still_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v1/cart_item.json", lambda d: d["properties"]["line_total"].update(type=["number", "null"]))
    repo.commit("v1: line_total may be null")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert {(f["schema"], f["direction"]) for f in errors} == {("cart_item", "forward"), ("cart", "forward")}
    assert all("tolerant reader" in f["message"] for f in errors)
    assert all(f["witness"] is not None for f in errors)


def test_additive_property_in_a_strict_closed_response_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    # Responses are checked forward: a v1 client with the closed v1 schema refuses the new field when the
    # index says its readers are strict.
    repo.edit_text("index.toml", 'response = "tolerant"', 'response = "strict"')
    repo.commit("responses are read strictly")
    repo.edit_json("v1/cart_item.json", lambda d: d["properties"].update(gift_wrap={"type": "boolean"}))
    repo.commit("v1: items say gift_wrap")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    assert {f["direction"] for f in report["findings"] if f["severity"] == "error"} == {"forward"}
    # cart embeds cart_item through a cross-file $ref, so both responses break
    assert {f["schema"] for f in report["findings"] if f["severity"] == "error"} == {"cart_item", "cart"}


def test_per_schema_reader_override(repo: Repo, cli: Callable[..., Any]) -> None:
    # [readers] overrides the role's policy for one schema: cart_item strict, cart still tolerant.
    repo.edit_text("index.toml", "[[versions]]", '[readers]\ncart_item = "strict"\n\n[[versions]]')
    repo.commit("cart_item is read strictly")
    repo.edit_json("v1/cart_item.json", lambda d: d["properties"].update(gift_wrap={"type": "boolean"}))
    repo.commit("v1: items say gift_wrap")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    assert {f["schema"] for f in report["findings"] if f["severity"] == "error"} == {"cart_item"}


def test_waiver_silences_a_breaking_change_by_pointer(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v1/cart_create.json", require_currency)
    repo.commit("v1: currency becomes required")
    waivers = repo.path / "waivers.toml"
    waivers.write_text(
        '[[waiver]]\nrule = "property-became-required"\nversion = "v1"\nschema = "cart_create"\n'
        'pointer = "/required"\nreason = "every v1 client sends currency (access logs)"\nexpires = 2027-01-01\n'
    )
    code, report = check(cli, "--today", "2026-12-01", "--waivers", str(waivers))
    assert code == 0 and report["summary"]["waived"] == 1
    code, report = check(cli, "--today", "2027-01-02", "--waivers", str(waivers))
    assert code == 1 and rule_ids(report) == {"property-became-required", "waiver-expired"}


def deprecate_note(data: Any) -> None:
    data["properties"]["note"]["deprecated"] = True
    data["properties"]["note"]["x-sunset"] = "2027-01-15"


def test_deprecated_property_removed_before_its_sunset_fails(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v2/cart_item_add.json", deprecate_note)
    repo.commit("v2: note is deprecated")
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--ff-only", "change")
    repo.git("checkout", "-q", "change")
    repo.edit_json("v2/cart_item_add.json", lambda d: d["properties"].pop("note"))
    repo.commit("v2: drop note")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    assert "deprecated-property-removed-early" in rule_ids(report)
    [f] = [f for f in report["findings"] if f["rule_id"] == "deprecated-property-removed-early"]
    assert f["pointer"] == "/properties/note" and "2027-01-15" in f["message"]
    # after its own x-sunset the removal is allowed (the removal itself widens a closed request schema: fine)
    code, report = check(cli, "--today", "2027-01-16")
    assert "deprecated-property-removed-early" not in rule_ids(report)


def test_report_json_findings_carry_witnesses(repo: Repo, cli: Callable[..., Any]) -> None:
    repo.edit_json("v1/cart_item_add.json", lambda d: d["properties"]["quantity"].update(maximum=50))
    repo.commit("v1: lower the quantity limit")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert errors and all("witness" in f for f in errors)
    assert {f["rule_id"] for f in errors} == {"maximum-decreased"}
    assert json.dumps(errors[0]["witness"])  # a concrete payload


def test_schemas_kept_out_of_release_archives_are_still_read_at_the_base(repo: Repo, cli: Callable[..., Any]) -> None:
    """`export-ignore` on the schemas (a project that ships no schemas in its tarballs): the base registry is
    a checkout of the base commit, not an archive of it, so the break is still found."""
    repo.git("checkout", "-q", "main")
    (repo.path / ".gitattributes").write_text("schemas/** export-ignore\n")
    repo.commit("schemas are not part of release archives")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "--ff-only", "main")
    repo.edit_json("v1/cart_create.json", require_currency)
    repo.commit("v1: currency becomes required")
    code, report = check(cli, "--today", "2026-12-01")
    assert code == 1
    assert rule_ids(report) == {"property-became-required"}
