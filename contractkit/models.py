"""Find the generated Pydantic model of a registry schema, by module path (never a static import).

The generated package (e.g. `service.models`) mirrors the registry: the schema file `v1/cart.json` is the
module `<package>.v1.cart`, whose model class is named after the schema's `title`; `<package>.head`
re-exports the head version's models. The library reaches them through importlib so that it never depends
on the project's code at import time.
"""

from __future__ import annotations

import importlib
import re
from pathlib import PurePosixPath
from typing import Any

from contractkit.errors import UsageError
from contractkit.registry import Registry

__all__ = ["class_name", "model_for", "module_of", "validate_with_model"]

_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")


def module_of(registry: Registry, name: str, version: str) -> str:
    """The generated module of `name@version`, relative to the models package (`v1.cart`)."""
    rel = registry.version(version).schemas[name]
    return ".".join(_NOT_IDENTIFIER.sub("_", part) for part in PurePosixPath(rel).with_suffix("").parts)


def class_name(registry: Registry, name: str, version: str) -> str | None:
    """The generated model class of `name@version`: its title without spaces (None without a title)."""
    raw = registry.raw(name, version)
    title = raw.get("title") if isinstance(raw, dict) else None
    return title.replace(" ", "") if isinstance(title, str) else None


def model_for(registry: Registry, package: str, name: str, version: str) -> Any:
    cls = class_name(registry, name, version)
    if cls is None:
        raise UsageError(f"{name}@{version} has no title, so its generated model cannot be found")
    module_name = f"{package}.{module_of(registry, name, version)}"
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UsageError(f"cannot import generated models {module_name!r}: {exc}; run `contractkit codegen`") from None
    model = getattr(module, cls, None)
    if model is None:
        raise UsageError(f"{module_name} has no model {cls!r}; run `contractkit codegen`")
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
