"""Replay passes on main, and each injected defect makes it exit 1 and name the defect."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_replay_passes_on_every_level(cli: Callable[..., Any]) -> None:
    result = cli("replay", "--format", "json")
    assert result.exit_code == 0, result.stdout[-2000:]
    report = json.loads(result.stdout)
    assert report["ok"] and report["failures"] == []
    assert report["levels"] == ["schema", "model", "service", "upgrade", "downgrade"]
    levels = {c["level"] for c in report["cells"]}
    assert levels == set(report["levels"])
    # every fixture was replayed against every version, at the schema level at least
    fixtures = {c["fixture"] for c in report["cells"] if c["level"] == "schema"}
    assert len(fixtures) >= 40
    per_version: dict[str, int] = {}
    for c in report["cells"]:
        if c["level"] == "schema":
            per_version[c["version"]] = per_version.get(c["version"], 0) + 1
    assert per_version.keys() == {"v1", "v2"} and min(per_version.values()) >= 15


def failures(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 1, result.stdout[-2000:]
    return list(json.loads(result.stdout)["failures"])


def test_v1_route_served_with_the_v2_model(cli: Callable[..., Any]) -> None:
    result = cli("replay", "--format", "json", "--app-factory", "tests.replay.mutants:v1_served_with_v2_models")
    found = failures(result)
    hits = {(f["rule_id"], f["fixture"], f["version"]) for f in found}
    assert ("replay-service-mismatch", "v1-item-typical", "v1") in hits
    assert ("replay-service-mismatch", "v1-cart-minimal", "v1") in hits
    assert all(f["version"] == "v1" for f in found if f["level"] == "service")


def test_schema_tightened_without_regenerating(cli: Callable[..., Any], tmp_path: Path) -> None:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    path = schemas / "v1" / "cart_item_add.json"
    path.write_text(path.read_text().replace('"maximum": 99', '"maximum": 50'))
    result = cli("replay", "--format", "json", "--offline", "--schemas", str(schemas))
    found = failures(result)
    disagreements = {(f["fixture"], f["version"]) for f in found if f["rule_id"] == "schema-model-disagree"}
    assert disagreements == {("v1-item-max-qty", "v1")}
    assert any("contractkit codegen" in f["message"] for f in found if f["rule_id"] == "schema-model-disagree")


def test_upgrade_that_drops_a_field(cli: Callable[..., Any]) -> None:
    result = cli(
        "replay", "--format", "json", "--offline", "--conversions", "tests.replay.mutants:conversions_dropping_sku"
    )
    found = failures(result)
    assert {f["rule_id"] for f in found} == {"upgrade-invalid"}
    assert {f["fixture"] for f in found} == {
        f"v1-item-{name}" for name in ("typical", "eur-cart", "max-qty", "qty-2.0", "sku-variant", "price-max")
    }


def test_route_that_returns_500_on_a_recorded_payload(cli: Callable[..., Any], tmp_path: Path) -> None:
    # Replay reaches what clients really send: record a payload that hits the defect, and replay names it.
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "compat_fixtures", fixtures)
    path = fixtures / "requests" / "cart_item_update.json"
    data = json.loads(path.read_text())
    data["fixtures"].append(
        {
            "id": "v2-update-qty-42",
            "origin": "v2",
            "payload": {"quantity": 42},
            "expect": {"v1": "accept", "v2": "accept"},
        }
    )
    path.write_text(json.dumps(data))
    result = cli(
        "replay",
        "--format",
        "json",
        "--app-factory",
        "tests.replay.mutants:crashes_on_quantity_42",
        "--fixtures",
        str(fixtures),
    )
    found = failures(result)
    assert {(f["rule_id"], f["fixture"]) for f in found} == {
        ("replay-service-error", "v2-update-qty-42"),
    }
    assert {f["version"] for f in found} == {"v1", "v2"}


@pytest.mark.parametrize(
    ("mutate", "pointer", "needle"),
    [
        (lambda d: d["fixtures"][0].pop("expect"), "/fixtures/0", "expect"),
        (lambda d: d["fixtures"][0]["expect"].update(v1="maybe"), "/fixtures/0/expect/v1", "maybe"),
        (lambda d: d["fixtures"][0]["expect"].pop("v1"), "/fixtures/0/expect", "no expectation for version(s) v1"),
        (lambda d: d["fixtures"][1].update(id=d["fixtures"][0]["id"]), "/fixtures/1/id", "duplicate fixture id"),
    ],
    ids=["missing-expect", "bad-expectation", "missing-version", "duplicate-id"],
)
def test_malformed_fixture_is_a_clear_error(
    cli: Callable[..., Any], tmp_path: Path, mutate: Callable[[Any], None], pointer: str, needle: str
) -> None:
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "compat_fixtures", fixtures)
    path = fixtures / "requests" / "cart_create.json"
    data = json.loads(path.read_text())
    mutate(data)
    path.write_text(json.dumps(data))
    result = cli("replay", "--offline", "--fixtures", str(fixtures))
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.count("\n") == 0 and f"cart_create.json#{pointer}" in line and needle in line, line
