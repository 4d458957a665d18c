"""The curated public surface, pinned: a change here is a deliberate API change."""

from __future__ import annotations

from pathlib import Path

import contractkit

EXPECTED = [
    "CompatReport",
    "ContractkitError",
    "Finding",
    "IndexError_",
    "InputError",
    "OpenAPIReport",
    "OperationFinding",
    "RefError",
    "Registry",
    "SchemaFileError",
    "SchemaInvalidError",
    "UsageError",
    "Version",
    "Witness",
    "__version__",
    "compare",
    "compare_openapi",
    "load_registry",
]


def test_exported_members() -> None:
    assert contractkit.__all__ == EXPECTED
    for name in EXPECTED:
        assert hasattr(contractkit, name), name


def test_compare_resolves_registry_addresses(repo_root: Path) -> None:
    report = contractkit.compare("cart_create@v1", "cart_create@v2", registry=repo_root / "schemas")
    assert report.compatible is False
    assert {f.rule_id for f in report.findings if f.severity == "error"} == {"property-became-required"}
    [f] = [f for f in report.findings if f.severity == "error"]
    assert f.witness is not None and f.witness.valid_under == "old"


def test_compare_takes_plain_dicts() -> None:
    report = contractkit.compare(
        {"type": "integer"}, {"type": "number"}, mode="full", format_assertion=True, overrides={}
    )
    assert report.compatible is False
    assert {f.direction for f in report.findings if f.severity == "error"} == {"forward"}
