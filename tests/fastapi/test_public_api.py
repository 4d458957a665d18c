"""The public surface of contractkit.fastapi, pinned; and the library stays out of it unless asked."""

from __future__ import annotations

import subprocess
import sys

import contractkit.fastapi


def test_exported_members() -> None:
    assert contractkit.fastapi.__all__ == [
        "DESCRIPTIONS",
        "PROBLEM_MEDIA_TYPE",
        "VERSION_SCOPE_KEY",
        "Call",
        "ChangeSetError",
        "ConversionContext",
        "Conversions",
        "Downgrade",
        "ErrorHook",
        "Gate",
        "Guard",
        "Interceptor",
        "Lifecycle",
        "OpenAPIHook",
        "Problem",
        "Proceed",
        "Reply",
        "Route",
        "Upgrade",
        "VersionChange",
        "VersionedAPI",
        "load_changes",
        "operations",
        "problem_response",
    ]
    for name in contractkit.fastapi.__all__:
        assert getattr(contractkit.fastapi, name) is not None


def test_the_rest_of_the_library_does_not_import_it() -> None:
    code = (
        "import sys, contractkit, contractkit.cli, contractkit.replay, contractkit.fuzz, contractkit._loading; "
        "print(sorted(m for m in ('fastapi', 'contractkit.fastapi') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
