"""Every rule id is a row of one table; the tables are read directly; replay and fuzz failures become
gate findings through one adapter."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from contractkit.compat import RULES
from contractkit.fuzz import BUILTIN_CHECKS, FuzzFailure
from contractkit.fuzz.rules import FUZZ_RULES, rule_id_of_check
from contractkit.gate.adapters import failure_findings
from contractkit.gate.rules import GATE_RULES
from contractkit.openapi.catalog import RULES as OPENAPI_RULES
from contractkit.registry import load_registry
from contractkit.replay import ReplayFailure
from contractkit.replay.rules import REPLAY_RULES
from contractkit.reporting.formats._rules import all_rules, known_rule_ids, render_markdown, suggest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "contractkit"
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
TABLE_MODULES = ("gate/rules.py", "replay/rules.py", "fuzz/rules.py")
USERS = ("replay/runner.py", "fuzz/drift.py", "fuzz/live.py", "fuzz/lifecycle.py")


def _id_constants(path: Path) -> dict[str, str]:
    """Module-level `NAME = "kebab-case-id"` assignments."""
    out = {}
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
            is_id = isinstance(value, ast.Constant) and isinstance(value.value, str) and KEBAB.match(value.value)
            if name.isupper() and is_id:
                out[name] = str(value.value)  # type: ignore[attr-defined]
    return out


def test_every_id_constant_of_a_table_module_is_a_row_of_its_table() -> None:
    rows = {
        "gate/rules.py": {r.id for r in GATE_RULES},
        "replay/rules.py": {r.id for r in REPLAY_RULES},
        "fuzz/rules.py": {r.id for r in FUZZ_RULES},
    }
    for rel in TABLE_MODULES:
        constants = set(_id_constants(PACKAGE / rel).values())
        assert constants == rows[rel], rel


def test_modules_that_report_ids_define_none_of_their_own() -> None:
    for rel in USERS:
        assert _id_constants(PACKAGE / rel) == {}, f"{rel} defines rule ids; put them in a rules table"


def test_each_id_is_defined_once_in_the_whole_package() -> None:
    seen: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for value in _id_constants(path).values():
            if value in known_rule_ids():
                where = path.relative_to(PACKAGE).as_posix()
                assert value not in seen, f"{value} defined in {seen.get(value)} and {where}"
                seen[value] = where
    assert {"upgrade-invalid", "downgrade-invalid", "conversion-raised"} <= set(seen)
    assert seen["upgrade-invalid"] == "replay/rules.py"


def test_no_rule_id_is_in_two_tables() -> None:
    """A finding's rule id names one rule: its severity, description and docs row come from one table."""
    tables = {"compat": RULES, "openapi": OPENAPI_RULES, "gate": GATE_RULES, "replay": REPLAY_RULES, "fuzz": FUZZ_RULES}
    owner: dict[str, str] = {}
    clashes = []
    for name, table in tables.items():
        ids = [r.id for r in table]
        assert len(ids) == len(set(ids)), f"an id twice in the {name} table"
        for rule_id in ids:
            if rule_id in owner:
                clashes.append(f"{rule_id} ({owner[rule_id]} and {name})")
            owner[rule_id] = name
    assert clashes == []


def test_tables_are_complete() -> None:
    ids = [r.id for r in all_rules()]
    tables = [RULES, GATE_RULES, REPLAY_RULES, FUZZ_RULES, OPENAPI_RULES]
    assert ids == [r.id for table in tables for r in table] and len(ids) == len(set(ids))
    for r in all_rules():
        assert KEBAB.match(r.id) or r.id == "undecided", r.id
        assert r.severity in ("error", "warning", "info") and r.description and r.example, r.id
    # every Schemathesis check the live fuzzer runs has a row under the id it is reported as
    assert {rule_id_of_check(c) for c in BUILTIN_CHECKS} <= known_rule_ids()


def test_the_rules_index_imports_the_tables_directly() -> None:
    tree = ast.parse((PACKAGE / "reporting" / "formats" / "_rules.py").read_text())
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} | {
        a.attr for a in ast.walk(tree) if isinstance(a, ast.Attribute)
    }
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom) for a in n.names}
    assert "importlib" not in imported and "getattr" not in names
    assert {"RULES", "GATE_RULES", "REPLAY_RULES", "FUZZ_RULES"} <= imported and "OPENAPI_RULES" in names


def test_did_you_mean() -> None:
    assert suggest("property-became-requried") == " (did you mean 'property-became-required'?)"
    assert suggest("upgrade-invalidd") == " (did you mean 'upgrade-invalid'?)"
    assert "docs/replay-fuzz-rules.md" in suggest("zzz")


def test_docs_page_is_generated_from_the_tables() -> None:
    assert (ROOT / "docs" / "replay-fuzz-rules.md").read_text() == render_markdown()


def test_one_adapter_for_replay_and_fuzz_failures() -> None:
    registry = load_registry(ROOT / "schemas")
    replay = ReplayFailure("upgrade-invalid", "v1-typical", "v2", "upgrade", "does not validate", {"a": 1})
    drift = FuzzFailure("upgrade-invalid", "v1->v2", "cart_item_add", "upgrade gives …", 7, payload={"b": 2})
    live = FuzzFailure("not_a_server_error", "v2", "POST /v2/carts", "500", 7, curl="curl -X POST …")
    r, d, f = failure_findings([replay, drift, live], registry)
    assert (r.rule_id, d.rule_id, f.rule_id) == ("upgrade-invalid", "upgrade-invalid", "not-a-server-error")
    assert r.message == "replay [v1-typical @ v2, upgrade]: does not validate" and r.witness == {"a": 1}
    assert r.subject == "v1-typical upgrade" and r.file is None
    assert d.schema == "cart_item_add" and d.file is not None and d.file.endswith("schemas/v2/cart_item_add.json")
    assert f.subject == "POST /v2/carts" and f.message.endswith("\n  reproduce: curl -X POST …")
    assert not f.has_witness and {r.severity, d.severity, f.severity} == {"error"}
    assert len({x.identity for x in (r, d, f)}) == 3
