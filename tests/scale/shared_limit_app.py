"""`uvicorn --factory tests.scale.shared_limit_app:create`: the cart service with the limiter that
`service.ratelimit.make_limiter(settings)` builds (shared through Redis when CART_REDIS_URL is set).

Phase 1 stand-in for the wiring in service/app.py (`limiter=make_limiter(settings)`), which belongs to the
runtime split; once app.py builds its limiter that way, this module goes and the tests use service.app:app.
"""

from __future__ import annotations

from typing import Any

from service.app import create_app
from service.ratelimit import make_limiter
from service.settings import Settings


def create() -> Any:
    settings = Settings.from_env()
    app = create_app(settings)
    object.__setattr__(app.state.runtime, "limiter", make_limiter(settings))  # a frozen dataclass
    return app
