"""contractkit: versioned JSON Schema contracts for HTTP APIs.

Layers, bottom up (docs/architecture.md): `dialects` and `registry` (load, resolve, validate) -> `compat`
(what changed, what breaks, with witnesses) -> `openapi`, `codegen`/`models` -> `fastapi` (the versioned
runtime) -> `gate` (the CI check) -> `replay`, `fuzz` -> `lifecycle` -> `reporting` -> `cli`. The library
never imports the service.
"""

from contractkit._api import compare
from contractkit.compat import CompatReport, Finding, Witness
from contractkit.errors import (
    ContractkitError,
    IndexError_,
    InputError,
    RefError,
    SchemaFileError,
    SchemaInvalidError,
    UsageError,
)
from contractkit.openapi import OpenAPIReport, OperationFinding, compare_openapi
from contractkit.registry import Registry, Version, load_registry

__version__ = "0.1.0"

__all__ = [
    "CompatReport",
    "ContractkitError",
    "Finding",
    "IndexError_",
    "InputError",
    "OpenAPIReport",
    "OperationFinding",
    "RefError",
    "Registry",
    "SchemaFileError",
    "SchemaInvalidError",
    "UsageError",
    "Version",
    "Witness",
    "__version__",
    "compare",
    "compare_openapi",
    "load_registry",
]
