"""The service's declared conversions, for contractkit's replay and drift fuzzing.

`contractkit fuzz --drift --conversions service.contract:conversions` and the replay session reach them by
`module:attribute` (the library never imports the service). The object returned is the very `Chains` the
app serves with: `upgrade(version, name, body, ctx)` takes a request body of `version` to the head version
(`ctx.cart_currency` is the only context a conversion reads), `downgrade(version, name, body)` takes a head
response body back to `version`. A deliberate refusal raises `service.problems.Problem` with a 4xx `status`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from contractkit.registry import load_registry
from service.changes import VERSION_CHANGES
from service.settings import Settings
from service.versioning import Chains

__all__ = ["conversions"]


@lru_cache(maxsize=4)
def _chains(schemas_dir: Path) -> Chains:
    return Chains.build(load_registry(schemas_dir).versions, VERSION_CHANGES)


def conversions(schemas_dir: Path | str | None = None) -> Chains:
    return _chains(Path(schemas_dir) if schemas_dir is not None else Settings().schemas_dir)
