"""Reaching user code by name: the one loader for targets (apps) and conversions.

The library never imports a project's code statically: replay, fuzz and the CI gate reach the app and the
declared conversions through `module:attribute` strings from `[tool.contractkit]`, or build the
conversions from the registry and the change-set package alone (`[tool.contractkit] changes`). Whatever
user code raises while being loaded or built is one UsageError line, never a traceback.

The change-set convention (shared with `contractkit version add`, which scaffolds it): the step from
version V to its successor is the module `<changes package>.from_<V>`, V with every character outside
`[A-Za-z0-9_]` replaced by `_`, defining `CHANGES: Sequence[VersionChange]` (`()` declares no changes).
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from contractkit.errors import ContractkitError, UsageError
from contractkit.registry import Registry

__all__ = [
    "UserCodeError",
    "build",
    "change_set_module",
    "change_set_source",
    "load_app",
    "load_conversions",
    "load_object",
    "on_path",
]

T = TypeVar("T")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


class UserCodeError(UsageError):
    """User code failed while being imported or built: one line for the CLI; `error` is what it raised (with
    its traceback), for a report that names where it was raised (the gate's `step-cannot-run`)."""

    def __init__(self, message: str, error: Exception) -> None:
        super().__init__(message)
        self.error = error


def on_path(base_dir: Path | None) -> None:
    """Make the project folder (where pyproject.toml is) importable, as `python -m` from there would."""
    if base_dir is None:
        return
    folder = str(Path(base_dir).resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)


def load_object(spec: str) -> Any:
    """`module:attr` (attr may be dotted) -> the object; a clear UsageError otherwise."""
    module_name, sep, attr = spec.partition(":")
    if not sep or not module_name or not attr:
        raise UsageError(f"expected MODULE:ATTRIBUTE, got {spec!r}")
    try:
        obj: Any = importlib.import_module(module_name)
    except ContractkitError:
        raise
    except ImportError as exc:
        raise UsageError(f"cannot import {module_name!r}: {exc}") from None
    except Exception as exc:  # user code at import time: one line, not a traceback
        raise UserCodeError(f"could not import {module_name!r}: {type(exc).__name__}: {exc}", exc) from None
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise UsageError(f"{module_name} has no attribute {attr!r}") from None
    return obj


def build(spec: str, make: Callable[[], T]) -> T:
    """Run user code that builds something named by `spec`; its failure is a one-line UsageError."""
    try:
        return make()
    except ContractkitError:
        raise
    except Exception as exc:  # user code: whatever it raises is reported on one line, exit 2
        raise UserCodeError(f"could not build {spec}: {type(exc).__name__}: {exc}", exc) from None


def load_app(app: str | None = None, app_factory: str | None = None, *, clock: Any = None) -> Any:
    """The ASGI app named by `app` (an object) or built by `app_factory` (called as factory(), or
    factory(clock=...) when a clock is given); None when neither is set."""
    if app_factory:
        factory = load_object(app_factory)
        if not callable(factory):
            raise UsageError(f"{app_factory} is not callable")
        return build(app_factory, lambda: factory(clock=clock) if clock is not None else factory())
    if app:
        return load_object(app)
    return None


def load_conversions(registry: Registry, *, spec: str | None = None, changes: str | None = None) -> Any:
    """The declared conversions replay and drift fuzzing check, or None when none are configured.

    `spec` (`module:attr`: an object with upgrade()/downgrade(), or a function returning one) wins;
    otherwise `changes` (the change-set package, or `module:ATTRIBUTE` naming a mapping) is composed
    for the registry's versions with `contractkit.fastapi.Conversions`.
    """
    if spec:
        conv = load_object(spec)
        if not hasattr(conv, "upgrade") and callable(conv):
            conv = build(spec, conv)
        return conv
    if changes:
        if len(registry.versions) < 2:
            return None
        try:
            from contractkit.fastapi._changes import Conversions
        except ImportError as exc:
            raise UsageError(f"composing the change sets needs contractkit-http[fastapi]: {exc}") from None
        return build(changes, lambda: Conversions.from_registry(registry, changes))
    return None


def change_set_module(version: str) -> str:
    """The module (inside the change-set package) holding the changes from `version` to its successor."""
    return "from_" + _NOT_IDENTIFIER.sub("_", version)


def change_set_source(version: str, successor: str) -> str:
    """The text of a new, empty change set from `version` to `successor` (what `version add` scaffolds)."""
    return f'''"""What changed from {version} to {successor}, declared for the clients still on {version}.

`contractkit version add {successor}` wrote this file. List one `VersionChange` per difference between
{version} and {successor}: `upgrade` functions take a {version} request body to {successor} (request schema
name -> fn(body, ctx) -> body), and `downgrade` functions take a {successor} response body back to {version}
(response schema name -> fn(body) -> body). An empty tuple declares that the two versions need no
conversion. See contractkit.fastapi's documentation (docs/fastapi.md, "Change sets").
"""

from __future__ import annotations

from collections.abc import Sequence

from contractkit.fastapi import VersionChange

CHANGES: Sequence[VersionChange] = ()
'''
