"""Hooks contractkit reaches by `module:attribute` (the library never imports the service)."""

from __future__ import annotations

from contractkit.registry import load_registry
from service.changes import VERSION_CHANGES
from service.settings import Settings
from service.versioning import Chains

__all__ = ["conversions"]


def conversions() -> Chains:
    """The declared version changes composed into conversion chains, as the app builds them."""
    return Chains.build(load_registry(Settings().schemas_dir).versions, VERSION_CHANGES)
