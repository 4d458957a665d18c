"""Find the generated Pydantic model of a registry schema, by module path (never a static import).

The generated package (default `service.models`) holds `<version>/<schema name>.py`, whose model class is
named after the schema's `title`. The library reaches it through importlib so that it never depends on
the service at import time.
"""

from __future__ import annotations

import importlib
from typing import Any

from contractkit.errors import UsageError
from contractkit.registry import Registry

__all__ = ["model_for", "validate_with_model"]


def model_for(registry: Registry, package: str, name: str, version: str) -> Any:
    raw = registry.raw(name, version)
    title = raw.get("title") if isinstance(raw, dict) else None
    if not isinstance(title, str):
        raise UsageError(f"{name}@{version} has no title, so its generated model cannot be found")
    module_name = f"{package}.{version}.{name}"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import generated models {module_name!r}: {exc}") from None
    model = getattr(module, title.replace(" ", ""), None)
    if model is None:
        raise UsageError(f"{module_name} has no model {title!r}; run `contractkit codegen`")
    return model


def validate_with_model(model: Any, instance: Any) -> str | None:
    """None when the model accepts the instance, else pydantic's first error as one line."""
    from pydantic import ValidationError

    try:
        model.model_validate(instance)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = "/".join(str(p) for p in err["loc"])
        return f"/{loc}: {err['msg']}"
    return None
