"""Deliberately broken variants of the real service, for proving that replay catches each defect.

Each takes the real app or conversions and injects exactly one defect; nothing here replaces what it
does not break.
"""

from __future__ import annotations

from typing import Any

import contractkit.models
import service.app as service_app
from contractkit.fastapi import Conversions
from contractkit.registry import load_registry
from service.app import CHANGES_PACKAGE
from service.settings import Settings
from tests.fuzz.mutants import crash_on_quantity


def real_conversions() -> Conversions:
    return Conversions.from_registry(load_registry(Settings().schemas_dir), CHANGES_PACKAGE)


def v1_served_with_v2_models() -> Any:
    """Defect: the v1 routes validate requests with the v2 models."""
    real_model_for = contractkit.models.model_for

    def swapped(registry: Any, package: str, name: str, version: str) -> Any:
        return real_model_for(registry, package, name, "v2" if version == "v1" else version)

    contractkit.models.model_for = swapped
    try:
        return service_app.create_app()
    finally:
        contractkit.models.model_for = real_model_for


class _DropsField:
    """Defect: the v1 -> v2 upgrade of cart_item_add loses the sku."""

    def __init__(self) -> None:
        self.real = real_conversions()

    def upgrade(self, version: str, name: str, body: dict[str, Any], ctx: Any) -> dict[str, Any]:
        out = self.real.upgrade(version, name, body, ctx)
        if name == "cart_item_add":
            out = {k: v for k, v in out.items() if k != "sku"}
        return out

    def downgrade(self, version: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.real.downgrade(version, name, body)


def conversions_dropping_sku() -> _DropsField:
    return _DropsField()


def crashes_on_quantity_42() -> Any:
    """Defect: an unhandled error (500) whenever a body carries quantity 42."""
    return crash_on_quantity(service_app.create_app(), lambda q: q == 42)
