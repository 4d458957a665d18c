"""App factories for the gate's step tests: user code that fails the way real services do."""

from __future__ import annotations

from typing import Any


def fails_to_start() -> Any:
    raise RuntimeError("database unreachable: connection refused")
