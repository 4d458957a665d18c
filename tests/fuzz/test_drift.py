"""Drift fuzzing: generated instances of one version's schema against the next, through the declared
conversions, and the cross-check of the compatibility engine's verdicts (injected through `verdicts`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jsonschema_rs

from contractkit.compat import compare
from contractkit.fuzz import ENGINE_MISSED_BREAK, FuzzResult, drift_pair, fuzz, generate
from contractkit.registry import load_registry
from tests.conftest import SCHEMAS, CliResult

OLD = {"type": "object", "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "maximum": 99}}}
NEW = {**OLD, "required": ["sku"]}  # a request schema that now requires sku: breaks old clients (backward)


@dataclass(frozen=True)
class AlwaysCompatible:
    """A verdict source that wrongly calls everything compatible (stands in for an engine bug)."""

    compatible: bool = True
    findings: Sequence[Any] = field(default_factory=tuple)


def always_compatible(old: Any, new: Any, direction: str) -> AlwaysCompatible:
    return AlwaysCompatible()


def test_generate_is_reproducible_and_valid() -> None:
    first = generate(NEW, 15, seed=3)
    assert first == generate(NEW, 15, seed=3)
    validator = jsonschema_rs.validator_for(NEW)
    assert first and all(validator.is_valid(x) for x in first)


def test_generate_follows_local_refs() -> None:
    schema = {
        "$defs": {"q": {"type": "integer", "minimum": 5, "maximum": 6}},
        "type": "array",
        "items": {"$ref": "#/$defs/q"},
    }
    instances = generate(schema, 10, seed=1)
    assert instances and all(isinstance(x, list) and all(v in (5, 6) for v in x) for x in instances)


def test_a_false_compatible_verdict_is_an_engine_missed_break() -> None:
    result = FuzzResult(seed=5)
    drift_pair("item", "a", "b", OLD, NEW, result=result, seed=5, max_examples=20, verdicts=always_compatible)
    assert [f.check for f in result.failures] == [ENGINE_MISSED_BREAK]
    failure = result.failures[0]
    assert failure.version == "a->b" and failure.target == "item" and failure.seed == 5
    # the witness is validator-confirmed: valid under the old schema, rejected by the new one
    assert jsonschema_rs.validator_for(OLD).is_valid(failure.payload)
    assert not jsonschema_rs.validator_for(NEW).is_valid(failure.payload)
    assert "backward-compatible" in failure.message


def test_the_real_engine_agrees_and_explains_the_rejection() -> None:
    assert not compare(OLD, NEW, mode="backward").compatible
    result = FuzzResult(seed=5)
    drift_pair("item", "a", "b", OLD, NEW, result=result, seed=5, max_examples=20)
    assert result.failures == []
    backward = [d for d in result.drift if d.direction == "backward"]
    assert backward and {d.rules for d in backward} == {("property-became-required",)}
    assert {d.matched_by for d in backward} == {"pointer"}
    assert all("sku" not in d.witness for d in backward)
    # forward: everything valid under NEW is valid under OLD, so nothing drifts that way
    assert [d for d in result.drift if d.direction == "forward"] == []


def test_a_truly_compatible_change_passes_both_ways() -> None:
    widened = {**OLD, "properties": {**OLD["properties"], "quantity": {"type": "integer", "maximum": 999}}}
    result = FuzzResult(seed=2)
    drift_pair("item", "a", "b", OLD, widened, result=result, seed=2, max_examples=20, verdicts=always_compatible)
    # backward holds (nothing valid under OLD is rejected by the wider schema), so the stub's verdict stands there;
    # forward is refuted (quantity 100..999) and the false verdict is caught
    assert {(f.check, f.message.split(" but ")[0]) for f in result.failures} == {
        (ENGINE_MISSED_BREAK, "the engine calls item a->b forward-compatible,")
    }
    assert {d.direction for d in result.drift} == {"forward"}


class BrokenUpgrade:
    """Conversions whose upgrade forgets to add what the new version requires."""

    def upgrade(self, version: str, name: str, body: dict[str, Any], ctx: Any) -> dict[str, Any]:
        return body

    def downgrade(self, version: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        return body


def test_an_upgrade_that_produces_an_invalid_request_fails() -> None:
    result = FuzzResult(seed=5)
    drift_pair(
        "item", "a", "b", OLD, NEW, result=result, seed=5, max_examples=20, role="request", conversions=BrokenUpgrade()
    )
    assert [f.check for f in result.failures] == ["upgrade-invalid"]
    assert "which b's schema rejects" in result.failures[0].message


def test_registry_drift_through_the_service_conversions(cli: Callable[..., CliResult]) -> None:
    result = cli("fuzz", "--drift", "--max-examples", "10", "--seed", "1")
    assert result.exit_code == 0, result.stdout
    assert "drift v1->v2: 6 schema(s)" in result.stderr
    assert "Shape drift" in result.stdout
    # v2 requires a currency on cart_create: the engine's rule is attached to the witness
    assert "cart_create        v1->v2 backward" in result.stdout
    assert "explained by property-became-required" in result.stdout


def test_registry_drift_with_a_lying_engine_exits_1() -> None:
    registry = load_registry(SCHEMAS)
    result = fuzz(registry, drift=True, seed=1, max_examples=10, verdicts=always_compatible)
    assert not result.ok
    assert {f.check for f in result.failures} == {ENGINE_MISSED_BREAK}
    # every schema that really changed shape is caught; problem did not change (only annotations)
    assert {f.target for f in result.failures} == {
        "cart",
        "cart_create",
        "cart_item",
        "cart_item_add",
        "cart_item_update",
    }


@dataclass(frozen=True)
class FindingAt:
    rule_id: str
    new_pointer: str
    old_pointer: str = ""
    severity: str = "error"
    direction: str = "backward"


@dataclass(frozen=True)
class Incompatible:
    findings: Sequence[Any]
    compatible: bool = False


def test_errors_no_finding_points_at_are_listed() -> None:
    both = {**NEW, "properties": {**OLD["properties"], "quantity": {"type": "integer", "maximum": 9}}}
    verdict = Incompatible([FindingAt("maximum-decreased", "/properties/quantity/maximum")])
    result = FuzzResult(seed=4)
    drift_pair("item", "a", "b", OLD, both, result=result, seed=4, max_examples=30, verdicts=lambda o, n, d: verdict)
    assert result.failures == []
    backward = [d for d in result.drift if d.direction == "backward"]
    assert backward and {d.rules for d in backward} == {("maximum-decreased",)}
    for d in backward:
        too_many = isinstance(d.witness.get("quantity"), int | float) and d.witness["quantity"] > 9
        # a witness breaking the quantity bound is explained by the finding on that pointer ...
        assert d.matched_by == ("pointer" if too_many else "direction")
        # ... and one without sku breaks `required`, where the engine reported nothing
        assert any('"sku" is a required property' in e for e in d.unexplained) == ("sku" not in d.witness)


def _three_versions(root: Any) -> Any:
    """notes: v1 says `text`, v2 renames it `body`, v3 adds a required `language`; responses likewise."""
    import json

    shapes = {
        "v1": {"text": {"type": "string", "maxLength": 20}},
        "v2": {"body": {"type": "string", "maxLength": 20}},
        "v3": {"body": {"type": "string", "maxLength": 20}, "language": {"enum": ["en", "de"]}},
    }
    versions = []
    for name, props in shapes.items():
        for schema in ("note_create", "note"):
            doc = {"type": "object", "properties": props, "required": sorted(props), "additionalProperties": False}
            path = root / name / f"{schema}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(doc))
        versions.append(
            f'[[versions]]\nname = "{name}"\nstatus = "stable"\nreleased = 2026-01-0{len(versions) + 1}\n'
            f'schemas = {{ note_create = "{name}/note_create.json", note = "{name}/note.json" }}\n'
        )
    roles = '[roles]\nnote_create = "request"\nnote = "response"\n\n'
    (root / "index.toml").write_text(roles + "\n".join(versions))
    return load_registry(root)


def test_conversions_are_checked_one_step_at_a_time_with_three_versions(tmp_path: Any) -> None:
    """v1->v2 is checked against v2 (not the head), v2->v3 against v3: correct conversions pass, and a broken
    middle step is found at its own pair. Upgrading v1 straight to the head and validating against v2, as a
    check that ignores the steps would, rejects every instance (v3 has `language`, v2 forbids it)."""
    from contractkit.fastapi import Conversions, VersionChange

    registry = _three_versions(tmp_path / "schemas")

    def rename_up(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
        return {"body": body["text"]}

    def rename_down(body: dict[str, Any]) -> dict[str, Any]:
        return {"text": body["body"]}

    def language_up(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
        return {**body, "language": ctx.language}

    def language_down(body: dict[str, Any]) -> dict[str, Any]:
        return {"body": body["body"]}

    def broken_rename_up(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
        return {"body": body["text"], "extra": 1}

    def run(first_step: Any) -> FuzzResult:
        conversions = Conversions.from_registry(
            registry,
            {
                "v1": (VersionChange("rename", upgrade={"note_create": first_step}, downgrade={"note": rename_down}),),
                "v2": (
                    VersionChange("language", upgrade={"note_create": language_up}, downgrade={"note": language_down}),
                ),
            },
        )
        return fuzz(registry, drift=True, seed=3, max_examples=10, conversions=conversions, context={"language": "en"})

    good = run(rename_up)
    assert good.failures == [], [f.message for f in good.failures]
    assert [r.name for r in good.runs] == ["drift v1->v2", "drift v2->v3"]
    bad = run(broken_rename_up)
    assert {(f.check, f.version, f.target) for f in bad.failures} == {("upgrade-invalid", "v1->v2", "note_create")}
