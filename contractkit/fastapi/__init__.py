"""Serve every version of a schema registry side by side from one FastAPI app (docs/fastapi.md).

Business logic is written once against the head version's generated models (`<models>.head`); older
versions are served through declared change sets (`VersionChange`: request upgrades, response downgrades).
The library owns the version gate (410 after the sunset, `Deprecation` / `Sunset` / `Link` headers,
problem+json errors, body limits), version routing, and one OpenAPI document and docs page per version.
The app plugs in its own rules (authentication, rate limits, idempotency) as `Gate` hooks.

Needs the `fastapi` extra: `pip install "contractkit-http[fastapi]"`.
"""

from contractkit.fastapi._app import DESCRIPTIONS, OpenAPIHook, VersionedAPI
from contractkit.fastapi._call import Call, Reply
from contractkit.fastapi._changes import (
    ChangeSetError,
    ConversionContext,
    Conversions,
    Downgrade,
    Upgrade,
    VersionChange,
    load_changes,
)
from contractkit.fastapi._endpoints import Route
from contractkit.fastapi._gate import VERSION_SCOPE_KEY, ErrorHook, Gate, Guard, Interceptor, Proceed
from contractkit.fastapi._lifecycle import Lifecycle
from contractkit.fastapi._openapi import operations
from contractkit.fastapi._problems import PROBLEM_MEDIA_TYPE, Problem, problem_response

__all__ = [
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
