"""The gate's openapi step on the cart itself: a throwaway git repository holding the service, the schemas and
the project settings, the app imported at the base and in the working tree (each in its own process), its
v1 and v2 documents compared operation by operation. Exact sets of findings."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.gate.conftest import ROOT, Repo

TODAY = "2026-12-01"  # v1 is deprecated, its sunset (2027-03-31) still ahead: both versions are published
# The cart's own settings: the app factory and the environment it needs, from [tool.contractkit.replay].
PYPROJECT = """
[tool.contractkit]
schemas = "schemas"
changes = "service.changes"

[tool.contractkit.replay]
app-factory = "service.app:create_app"
env = { CART_API_KEYS = "ci:ci-key", CART_DATABASE_URL = "memory:", CART_ACCESS_LOG = "0", CART_RATE_LIMIT = "0" }
"""
ITEM = "/carts/{cart_id}/items/{item_id}"


@pytest.fixture
def cart(repo: Repo) -> Repo:
    """The repo fixture (schemas on main, a branch `change`) with the cart service committed on main too."""
    shutil.copytree(ROOT / "service", repo.path / "service", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    (repo.path / "pyproject.toml").write_text(PYPROJECT)
    repo.git("checkout", "-q", "main")
    repo.commit("the cart service")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "--ff-only", "main")
    return repo


def edit(repo: Repo, rel: str, old: str, new: str) -> None:
    path = repo.path / rel
    text = path.read_text()
    assert text.count(old) == 1, (rel, old)
    path.write_text(text.replace(old, new))


def remove_item_deletion(cart: Repo) -> None:
    """Mutation A: the route `DELETE /carts/{cart_id}/items/{item_id}` removed from the service, committed."""
    edit(
        cart,
        "service/endpoints.py",
        'Route("DELETE", item, self.delete_item, None, None, 204, "Remove an item", "Deleted", (404, 412)),',
        "",
    )
    cart.commit("no more item deletion")


def check(cli: Callable[..., Any], *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("check", "--format", "json", "--today", TODAY, "--no-codegen", "--no-replay", "--no-fuzz", *args)
    assert result.exit_code in (0, 1), result.stderr
    return result.exit_code, json.loads(result.stdout)


def step(report: dict[str, Any]) -> dict[str, str]:
    [found] = [s for s in report["steps"] if s["name"] == "openapi"]
    return found  # type: ignore[no-any-return]


def operation_findings(report: dict[str, Any]) -> set[tuple[str, str, str, str]]:
    return {(f["rule_id"], f["severity"], f["version"], f["subject"]) for f in report["findings"]}


def test_the_cart_served_at_base_and_now_is_compatible(cart: Repo, cli: Callable[..., Any]) -> None:
    # A change that touches the service but not its contract: both documents built and compared, nothing found.
    endpoints = cart.path / "service" / "endpoints.py"
    endpoints.write_text(endpoints.read_text() + "# a comment: the routes are unchanged\n")
    cart.commit("a comment")
    code, report = check(cli)
    assert code == 0 and report["findings"] == []
    assert step(report)["status"] == "passed"
    assert step(report)["detail"] == "v1, v2: the documents served at the base and now, compared"


def test_removing_a_route_fails_the_gate_with_the_operation(cart: Repo, cli: Callable[..., Any]) -> None:
    """Mutation A (see remove_item_deletion)."""
    remove_item_deletion(cart)
    code, report = check(cli)
    assert code == 1 and step(report)["status"] == "failed"
    assert operation_findings(report) == {
        ("operation-removed", "error", "v1", f"DELETE /v1{ITEM}"),
        ("operation-removed", "error", "v2", f"DELETE /v2{ITEM}"),
    }
    by_version = {f["version"]: f for f in report["findings"]}
    assert by_version["v1"]["message"].startswith(f"DELETE /v1{ITEM} (v1, backward) breaks: ")


def test_a_required_query_parameter_in_v2_fails_the_gate_with_a_witness_request(
    cart: Repo, cli: Callable[..., Any]
) -> None:
    """Mutation B: v2's `GET /carts/{cart_id}` documents (so requires) a new query parameter `expand`."""
    edit(
        cart,
        "service/openapi.py",
        "    for _, method, op in operations(doc):\n",
        "    for path, method, op in operations(doc):\n"
        '        if lifecycle.version == "v2" and method == "get" and path == "/v2/carts/{cart_id}":\n'
        "            op.setdefault('parameters', []).append(\n"
        "                {'name': 'expand', 'in': 'query', 'required': True, 'schema': {'enum': ['items']}}\n"
        "            )\n",
    )
    cart.commit("expand is required")
    code, report = check(cli)
    assert code == 1
    assert operation_findings(report) == {("required-parameter-added", "error", "v2", "GET /v2/carts/{cart_id}")}
    [finding] = report["findings"]
    witness = finding["witness"]["request"]
    # a request every v2 client could send until now, which the new document refuses: no `expand`
    assert witness["method"] == "GET" and witness["url"].startswith("/v2/carts/") and "expand" not in witness["url"]
    assert witness["valid_under"] == "old" and "expand" in witness["rejected_because"]


def test_a_registry_schema_is_judged_once_by_the_compatibility_step(cart: Repo, cli: Callable[..., Any]) -> None:
    """The cart's documents publish the registry's schemas; a change to one is the compatibility step's to
    judge, with the registry's reader policy (clients read responses tolerantly), not once per operation."""
    edit(cart, "schemas/v2/cart.json", '"properties": {', '"properties": {"loyalty_points": {"type": "integer"}, ')
    edit(cart, "schemas/v2/cart_create.json", '"maxLength": 64', '"maxLength": 5')
    cart.commit("a response property (not a break for tolerant clients), a request limit tightened")
    code, report = check(cli)
    assert code == 1 and step(report)["status"] == "passed"
    assert {(f["rule_id"], f["schema"]) for f in report["findings"]} == {("max-length-decreased", "cart_create")}


def test_an_app_that_does_not_start_is_one_finding_naming_the_setting(cart: Repo, cli: Callable[..., Any]) -> None:
    edit(cart, "service/app.py", "    settings = settings or Settings.from_env()\n", "    raise RuntimeError('no')\n")
    code, report = check(cli)
    assert code == 1 and step(report)["status"] == "failed"
    [f] = report["findings"]
    assert f["rule_id"] == "step-cannot-run" and f["file"] == "pyproject.toml"
    assert f["message"].startswith("openapi cannot run: RuntimeError: no (raised at service/app.py:")
    assert '[tool.contractkit.replay] app-factory = "service.app:create_app"' in f["message"]


def test_no_app_configured_is_a_skipped_step_and_the_switch_turns_it_off(repo: Repo, cli: Callable[..., Any]) -> None:
    code, report = check(cli)
    assert code == 0 and step(report) == {
        "name": "openapi",
        "status": "skipped",
        "detail": "not configured: set [tool.contractkit.openapi] app-factory (or app) to compare the served documents",
    }
    _, report = check(cli, "--no-openapi")
    assert step(report)["detail"] == "switched off (--no-openapi)"


def test_export_writes_each_version_document(cart: Repo, cli: Callable[..., Any], tmp_path: Path) -> None:
    out = tmp_path / "docs"
    result = cli("openapi", "export", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["v1.json", "v2.json"]
    v2 = json.loads((out / "v2.json").read_text())
    assert v2["info"]["version"] == "v2" and f"/v2{ITEM}" in v2["paths"]
    result = cli("openapi", "export", "--version", "v1", "-o", str(tmp_path / "one"))
    assert result.exit_code == 0 and [p.name for p in (tmp_path / "one").iterdir()] == ["v1.json"]
    result = cli("openapi", "export", "--version", "v9")
    assert result.exit_code == 2 and "v9" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("table", "pointer"),
    [
        ('[tool.contractkit.openapi]\napp = "served:app"\nurl = "/openapi.json"\n', "/tool/contractkit/openapi/url"),
        ('[tool.contractkit.replay]\napp = "served:app"\nenv = { A = 1 }\n', "/tool/contractkit/replay/env"),
        ("[tool.contractkit.openapi]\napp = 3\n", "/tool/contractkit/openapi/app"),
    ],
)
def test_bad_settings_are_one_line_naming_the_key(
    repo: Repo, cli: Callable[..., Any], table: str, pointer: str
) -> None:
    (repo.path / "pyproject.toml").write_text(table)
    result = cli("check", "--no-replay", "--no-fuzz")
    assert result.exit_code == 2 and f"pyproject.toml#{pointer}" in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1


def test_the_openapi_table_names_its_own_app_and_url(repo: Repo, cli: Callable[..., Any]) -> None:
    """An app of its own (not the replay's) serving its documents elsewhere: `url` finds them."""
    (repo.path / "served.py").write_text(
        "import json\n\n"
        "async def app(scope, receive, send):\n"
        "    version = scope['path'].rsplit('/', 1)[-1].removesuffix('.json')\n"
        "    doc = {'openapi': '3.1.0', 'info': {'title': 't', 'version': version}, 'paths': {}}\n"
        "    status = 200 if scope['path'].startswith('/docs/') else 404\n"
        "    await send({'type': 'http.response.start', 'status': status, 'headers': []})\n"
        "    await send({'type': 'http.response.body', 'body': json.dumps(doc).encode()})\n"
    )
    (repo.path / "pyproject.toml").write_text(
        '[tool.contractkit.replay]\napp-factory = "nowhere:make"\n'
        '[tool.contractkit.openapi]\napp = "served:app"\nurl = "/docs/{version}.json"\n'
    )
    repo.git("checkout", "-q", "main")
    repo.commit("an app")
    repo.git("checkout", "-q", "change")
    repo.git("merge", "-q", "--ff-only", "main")
    (repo.path / "notes.txt").write_text("the tree differs from the base\n")
    code, report = check(cli)
    assert code == 0 and step(report) == {
        "name": "openapi",
        "status": "passed",
        "detail": "v1, v2: the documents served at the base and now, compared",
    }
    # a url the app does not answer: one finding, naming the setting
    pyproject = repo.path / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace("/docs/{version}.json", "/{version}/openapi.json"))
    code, report = check(cli)
    [f] = report["findings"]
    assert code == 1 and f["rule_id"] == "step-cannot-run"
    assert f["message"].startswith(
        "openapi cannot run: the app serves no document for v1 (GET /v1/openapi.json answered 404)"
    )


def test_files_marked_export_ignore_are_still_part_of_the_base(cart: Repo, cli: Callable[..., Any]) -> None:
    """A module the app imports is kept out of release archives (`export-ignore`): the base is a checkout of
    the commit, not an archive of it, so the base's app still loads and a removed route is found (from an
    archive, the base's app would not import: a `step-cannot-run` instead of the break)."""
    cart.git("checkout", "-q", "main")
    (cart.path / "service" / "build_info.py").write_text('NAME = "cart"\n')
    (cart.path / ".gitattributes").write_text("service/build_info.py export-ignore\n")
    app = cart.path / "service" / "app.py"
    app.write_text(app.read_text() + "\nfrom service.build_info import NAME as BUILD_NAME  # noqa: E402\n")
    cart.commit("build info, kept out of release archives")
    cart.git("checkout", "-q", "change")
    cart.git("merge", "-q", "--ff-only", "main")
    remove_item_deletion(cart)
    code, report = check(cli)
    assert code == 1 and step(report)["status"] == "failed"
    assert operation_findings(report) == {
        ("operation-removed", "error", "v1", f"DELETE /v1{ITEM}"),
        ("operation-removed", "error", "v2", f"DELETE /v2{ITEM}"),
    }
