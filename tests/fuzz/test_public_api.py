"""The public surface of contractkit.fuzz, pinned."""

from __future__ import annotations

import contractkit.fuzz


def test_exported_members() -> None:
    assert contractkit.fuzz.__all__ == [
        "BUILTIN_CHECKS",
        "ENGINE_MISSED_BREAK",
        "SUNSET_NOT_GONE",
        "DriftRejection",
        "Expectation",
        "FuzzFailure",
        "FuzzResult",
        "LiveTarget",
        "Verdict",
        "VerdictSource",
        "VersionRun",
        "as_server",
        "check_lifecycle_headers",
        "check_request_id",
        "drift_pair",
        "engine_verdict",
        "expectations",
        "fuzz",
        "generate",
        "select_versions",
    ]
    for name in contractkit.fuzz.__all__:
        assert getattr(contractkit.fuzz, name) is not None


def test_importing_it_stays_light() -> None:
    import subprocess
    import sys

    heavy = ("schemathesis", "hypothesis", "fastapi")
    code = f"import sys, contractkit.fuzz; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
