"""The lifecycle's public surface, pinned: a change here is a deliberate API change."""

from __future__ import annotations

import contractkit.gate.check
import contractkit.gate.policy
import contractkit.lifecycle
import contractkit.replay.fixtures


def test_exported_members() -> None:
    assert contractkit.lifecycle.__all__ == [
        "DeprecationRefused",
        "Initialised",
        "VersionAdded",
        "VersionDeprecated",
        "add_version",
        "change_set_module",
        "deprecate_version",
        "init_project",
    ]
    assert contractkit.gate.policy.__all__ == [
        "Violation",
        "check_policy",
        "deprecated_property_findings",
        "lifecycle_violations",
        "notice_start",
    ]
    assert contractkit.gate.check.__all__ == ["CheckOptions", "ExtraStep", "SkippedStep", "mode_for_role", "run_check"]
    assert "inherit_expectations" in contractkit.replay.fixtures.__all__
    for module in (contractkit.lifecycle, contractkit.gate.policy, contractkit.gate.check):
        for name in module.__all__:
            assert hasattr(module, name), (module.__name__, name)


def test_lifecycle_errors_share_the_root() -> None:
    assert issubclass(contractkit.lifecycle.DeprecationRefused, contractkit.ContractkitError)


def test_change_set_module_names() -> None:
    name = contractkit.lifecycle.change_set_module
    assert [name("v2"), name("2026-01-15"), name("v2.1-beta")] == ["from_v2", "from_2026_01_15", "from_v2_1_beta"]


def test_expectations_carry_forward_never_back() -> None:
    inherit = contractkit.replay.fixtures.inherit_expectations
    assert inherit({"v1": "accept", "v3": "reject"}, ["v1", "v2", "v3", "v4"]) == (
        {"v1": "accept", "v2": "accept", "v3": "reject", "v4": "reject"},
        {"v2": "v1", "v4": "v3"},
        [],
    )
    assert inherit({"v2": "accept"}, ["v1", "v2", "v3"]) == ({"v2": "accept", "v3": "accept"}, {"v3": "v2"}, ["v1"])
