"""Golden files: `assert_golden(name, text)` compares with tests/reporting/golden/<name>.

Regenerate after an intended change with `CONTRACTKIT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/reporting`,
then read the diff before committing it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("CONTRACTKIT_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file {path}; run with CONTRACTKIT_UPDATE_GOLDEN=1 to create it"
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), text.splitlines(keepends=True), f"golden/{name}", "actual"
            )
        )
        raise AssertionError(f"{name} differs from its golden file:\n{diff}")
