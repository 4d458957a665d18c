"""`contractkit diff`: files, registry refs and git refs; exit codes 0/1/2; text/json/markdown."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

OLD = {"type": "object", "properties": {"a": {"type": "integer"}}}
NEW = {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}


def _write(tmp_path: Path, name: str, doc: Any) -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(doc))
    return p


def test_files_breaking_exit_1_with_json_witness(cli: Callable[..., Any], tmp_path: Path) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    r = cli("diff", old, new, "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["compatible"] is False and doc["mode"] == "backward"
    (f,) = doc["findings"]
    assert f["rule_id"] == "property-became-required" and f["witness"]["valid_under"] == "old"


def test_files_compatible_exit_0(cli: Callable[..., Any], tmp_path: Path) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    r = cli("diff", old, new, "--mode", "forward")
    assert r.exit_code == 0 and "compatible" in r.stdout
    # one direction checked: say so (on stderr, so stdout stays the report)
    assert r.stderr.strip() == "note: checked forward only; --mode full also checks backward"
    assert cli("diff", old, new, "--mode", "full").stderr == ""


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_other_formats(cli: Callable[..., Any], tmp_path: Path, fmt: str) -> None:
    old, new = _write(tmp_path, "old.json", OLD), _write(tmp_path, "new.json", NEW)
    r = cli("diff", old, new, "--format", fmt)
    assert r.exit_code == 1 and "property-became-required" in r.stdout


def test_bad_json_is_one_line_exit_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    good = _write(tmp_path, "old.json", OLD)
    r = cli("diff", bad, good)
    assert r.exit_code == 2
    assert str(bad) in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_missing_file_exit_2(cli: Callable[..., Any], tmp_path: Path) -> None:
    r = cli("diff", tmp_path / "nope.json", tmp_path / "nope2.json")
    assert r.exit_code == 2 and "nope.json" in r.stderr


def test_registry_refs(cli: Callable[..., Any], repo_root: Path) -> None:
    r = cli("diff", "cart_item@v1", "cart_item@v1", "--schemas", repo_root / "schemas", "--mode", "full")
    assert r.exit_code == 0
    r2 = cli("diff", "cart_item@v1", "cart_item@v2", "--schemas", repo_root / "schemas", "--format", "json")
    assert r2.exit_code == 1
    assert json.loads(r2.stdout)["findings"]


def test_git_refs(cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = tmp_path / "repo"
    (repo / "schemas").mkdir(parents=True)
    run = lambda *a: subprocess.run(["git", *a], cwd=repo, check=True, capture_output=True)  # noqa: E731
    run("init", "-q")
    run("config", "user.email", "t@example.com")
    run("config", "user.name", "t")
    (repo / "s.json").write_text(json.dumps(OLD))
    run("add", "s.json")
    run("commit", "-qm", "one")
    (repo / "s.json").write_text(json.dumps(NEW))
    monkeypatch.chdir(repo)
    r = cli("diff", "HEAD:s.json", "s.json")
    assert r.exit_code == 1 and "property-became-required" in r.stdout
    r2 = cli("diff", "NOSUCHREF:s.json", "s.json")
    assert r2.exit_code == 2 and "NOSUCHREF:s.json" in r2.stderr


def test_file_with_cross_file_refs_is_bundled(cli: Callable[..., Any], repo_root: Path) -> None:
    schemas = repo_root / "schemas"
    r = cli("diff", schemas / "v1" / "cart.json", schemas / "v1" / "cart.json", "--schemas", schemas, "--mode", "full")
    assert r.exit_code == 0, r.stdout + r.stderr


def test_invalid_schema_is_one_line_with_pointer(cli: Callable[..., Any], tmp_path: Path) -> None:
    bad = _write(tmp_path, "bad.json", {"type": "object", "properties": {"a": {"minimum": "zero"}}})
    good = _write(tmp_path, "old.json", OLD)
    r = cli("diff", good, bad)
    assert r.exit_code == 2
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and str(bad) in line and "/properties/a/minimum" in line


# Every breaking change between the repo's v1 and v2 schemas, read off the two files by hand:
# (direction, rule, pointer into the new schema). Full mode names both directions' breaks.
_ITEM = "/$defs/v2.cart_item"
REPO_V1_TO_V2: dict[str, list[tuple[str, str, str]]] = {
    "cart_item": [
        ("backward", "ref-changed", "/properties/unit_price/$ref"),  # number -> Money object
        ("backward", "ref-changed", "/properties/line_total/$ref"),
        ("backward", "property-became-required", "/required"),  # gift_wrap
        ("forward", "maximum-increased", "/properties/quantity/maximum"),  # 99 -> 999
        ("forward", "type-widened", "/properties/unit_price"),
        ("forward", "type-widened", "/properties/line_total"),
        ("forward", "property-added", "/properties/gift_wrap"),  # v1 is closed
        ("forward", "property-added", "/properties/note"),
    ],
    "cart": [
        ("backward", "ref-changed", f"{_ITEM}/properties/unit_price/$ref"),  # items: the cart_item changes
        ("backward", "ref-changed", f"{_ITEM}/properties/line_total/$ref"),
        ("backward", "property-became-required", f"{_ITEM}/required"),
        ("backward", "ref-changed", "/properties/total/$ref"),
        ("backward", "property-became-required", "/required"),  # item_count
        ("backward", "property-became-required", "/required"),  # updated_at
        ("forward", "enum-removed", "/properties/currency"),  # any ISO 4217 code now
        ("forward", "maximum-increased", f"{_ITEM}/properties/quantity/maximum"),
        ("forward", "type-widened", f"{_ITEM}/properties/unit_price"),
        ("forward", "type-widened", f"{_ITEM}/properties/line_total"),
        ("forward", "property-added", f"{_ITEM}/properties/gift_wrap"),
        ("forward", "property-added", f"{_ITEM}/properties/note"),
        ("forward", "type-widened", "/properties/total"),
        ("forward", "property-added", "/properties/note"),
        ("forward", "property-added", "/properties/metadata"),
        ("forward", "property-added", "/properties/item_count"),
        ("forward", "property-added", "/properties/updated_at"),
    ],
    "cart_create": [
        ("backward", "property-became-required", "/required"),  # currency
        ("forward", "enum-removed", "/properties/currency"),
        ("forward", "property-added", "/properties/metadata"),
    ],
    "cart_item_add": [
        ("backward", "ref-changed", "/properties/unit_price/$ref"),
        ("forward", "maximum-increased", "/properties/quantity/maximum"),
        ("forward", "type-widened", "/properties/unit_price"),
        ("forward", "property-added", "/properties/gift_wrap"),
        ("forward", "property-added", "/properties/note"),
    ],
    "cart_item_update": [
        ("forward", "maximum-increased", "/properties/quantity/maximum"),
        ("forward", "property-added", "/properties/gift_wrap"),
        ("forward", "property-became-optional", "/required"),  # quantity: anyOf quantity / gift_wrap now
    ],
    "problem": [],
}


@pytest.mark.parametrize("name", sorted(REPO_V1_TO_V2))
def test_repo_v1_to_v2_names_every_breaking_change(cli: Callable[..., Any], repo_root: Path, name: str) -> None:
    from contractkit.registry import load_registry
    from tests.compat._util import assert_witnesses_hold

    schemas = repo_root / "schemas"
    old, new = schemas / "v1" / f"{name}.json", schemas / "v2" / f"{name}.json"
    r = cli("diff", old, new, "--mode", "full", "--format", "json", "--schemas", schemas)
    doc = json.loads(r.stdout)
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    assert sorted((f["direction"], f["rule_id"], f["new_pointer"]) for f in errors) == sorted(REPO_V1_TO_V2[name])
    assert r.exit_code == (1 if errors else 0)
    # every one is proven: a witness the validator accepts on one side only
    registry = load_registry(schemas)
    from contractkit.compat import CompatReport, Finding, Witness

    report = CompatReport(
        mode="full",
        findings=tuple(
            Finding(f["rule_id"], f["severity"], f["direction"], f["message"], f.get("old_pointer"),
                    f.get("new_pointer"), Witness(f["witness"]["instance"], f["witness"]["valid_under"]))
            for f in errors
        ),
    )  # fmt: skip
    assert_witnesses_hold(registry.bundle_file(old), registry.bundle_file(new), report)


def test_registry_refs_use_the_index_reader_policy(cli: Callable[..., Any]) -> None:
    # schemas/index.toml reads responses tolerantly: v2's new optional cart_item field `note` is no break;
    # --reader strict judges it as written (the v1 schema is closed)
    def rules(*extra: str) -> set[str]:
        r = cli("diff", "cart_item@v1", "cart_item@v2", "--mode", "forward", "--format", "json", *extra)
        assert r.exit_code == 1, r.stderr  # the money type change breaks either way
        return {f["rule_id"] for f in json.loads(r.stdout)["findings"] if f["severity"] == "error"}

    assert "property-added" not in rules()
    assert "property-added" in rules("--reader", "strict")
    assert rules() == rules("--reader", "tolerant")
