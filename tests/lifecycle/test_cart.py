"""The cart, end to end: `contractkit version add v3` on a clone of this repository, then `contractkit check`,
then a breaking v3 change with its declared upgrade, served next to v1 and v2 (contractkit.fastapi, change
sets in the `[tool.contractkit] changes` package, the head alias models)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from tests.lifecycle.conftest import Cart, blocking, steps

# v3's breaking change: gift_wrap becomes required when adding an item; v2 requests get the old default.
FROM_V2 = '''\
"""What changed from v2 to v3."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contractkit.fastapi import VersionChange


def _gift_wrap_default(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
    return {"gift_wrap": False, **body}


CHANGES: Sequence[VersionChange] = (
    VersionChange(
        "Adding an item: gift_wrap becomes required (v2: optional, false by default).",
        upgrade={"cart_item_add": _gift_wrap_default},
    ),
)
'''

SERVE = """
import json, os
os.environ.update(CART_API_KEYS="t:k", CART_DATABASE_URL="memory:", CART_ACCESS_LOG="0", CART_RATE_LIMIT="0")
from starlette.testclient import TestClient
from service.app import create_app

h = {"Authorization": "Bearer k"}
item = {"sku": "MUG01", "quantity": 1, "unit_price": {"amount_minor": 100, "currency": "USD"}}
out = {}
with TestClient(create_app()) as c:
    for v in ("v1", "v2", "v3"):
        out[v + " openapi"] = c.get(f"/{v}/openapi.json").status_code
    for v in ("v2", "v3"):
        cart = c.post(f"/{v}/carts", json={"customer_id": "c", "currency": "USD"}, headers=h).json()["id"]
        out[v + " item"] = c.post(f"/{v}/carts/{cart}/items", json=item, headers=h).status_code
        out[v + " item gift_wrap"] = c.post(
            f"/{v}/carts/{cart}/items", json={**item, "gift_wrap": True}, headers=h
        ).status_code
    cart = c.post("/v1/carts", json={"customer_id": "c"}, headers=h).json()["id"]
    out["v1 item"] = c.post(
        f"/v1/carts/{cart}/items", json={"sku": "MUG01", "quantity": 1, "unit_price": 1.0}, headers=h
    ).status_code
print(json.dumps(out))
"""


def add_v3(cart: Cart) -> None:
    result = cart.run("version", "add", "v3")
    assert "copied schemas/v2/ -> schemas/v3/" in result.stdout
    assert "v3 inherits each fixture's v2 expectation" in result.stdout


def make_gift_wrap_required(cart: Cart) -> None:
    path = cart.path / "schemas" / "v3" / "cart_item_add.json"
    schema = json.loads(path.read_text())
    schema["required"] = [*schema["required"], "gift_wrap"]
    path.write_text(json.dumps(schema, indent=2) + "\n")
    (cart.path / "service" / "changes" / "from_v2.py").write_text(FROM_V2)
    # The fixtures say where v3 differs: a v2 item without gift_wrap is refused by v3.
    fixtures = cart.path / "compat_fixtures" / "requests" / "cart_item_add.json"
    data = json.loads(fixtures.read_text())
    for fx in data["fixtures"]:
        if isinstance(fx["payload"], dict) and "gift_wrap" not in fx["payload"] and fx["expect"]["v2"] == "accept":
            fx["expect"]["v3"] = "reject"
    fixtures.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    cart.run("codegen")


def served(cart: Cart) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-c", SERVE], cwd=cart.path, capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    return result


@pytest.mark.slow
def test_version_add_v3_keeps_the_gate_and_the_offline_replay_green(cart: Cart) -> None:
    """Runs on any branch: the registry, the models and every fixture (inherited v3 expectations)."""
    add_v3(cart)
    code, report = cart.check_json("--no-replay", "--no-fuzz")
    assert code == 0, blocking(report)
    assert report["versions"] == ["v1", "v2", "v3"]
    assert steps(report) == {
        "policy": "passed",
        "compatibility": "passed",
        "openapi": "passed",  # v1 and v2 served as before, v3 is new
        "lint": "passed",
        "codegen": "passed",
        "replay": "skipped",
        "fuzz": "skipped",
        "waivers": "skipped",
    }
    replay = cart.run("replay", "--offline", "--format", "json")
    result = json.loads(replay.stdout)
    assert result["versions"] == ["v1", "v2", "v3"] and result["ok"] is True


@pytest.mark.slow
def test_version_add_v3_then_check_passes_with_no_other_edit(cart: Cart) -> None:
    add_v3(cart)
    assert (cart.path / "service" / "changes" / "from_v2.py").is_file()
    code, report = cart.check_json("--fuzz-budget", "10")
    assert code == 0, blocking(report)
    assert {name: status for name, status in steps(report).items() if name != "waivers"} == dict.fromkeys(
        ("policy", "compatibility", "openapi", "lint", "codegen", "replay", "fuzz"), "passed"
    )


@pytest.mark.slow
def test_a_breaking_v3_change_with_its_upgrade_passes_and_every_version_is_served(cart: Cart) -> None:
    add_v3(cart)
    make_gift_wrap_required(cart)
    code, report = cart.check_json("--fuzz-budget", "10")
    assert code == 0, blocking(report)
    assert served(cart) == {
        "v1 openapi": 200,
        "v2 openapi": 200,
        "v3 openapi": 200,
        "v2 item": 201,  # upgraded: gift_wrap false
        "v2 item gift_wrap": 201,
        "v3 item": 422,  # v3 requires it
        "v3 item gift_wrap": 201,
        "v1 item": 201,
    }
