"""The profiles API's FastAPI app: every version of schemas/ served by contractkit.fastapi.

PROFILES_API_KEYS='ada:key-1' uvicorn profiles.app:create_app --factory    # from examples/profiles
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI

from contractkit.fastapi import Call, Gate, Problem, VersionedAPI
from profiles.domain import Profiles

HERE = Path(__file__).resolve().parent
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Z]{2})?$")


def _keys(raw: str) -> dict[str, str]:
    """`user:key,user:key` -> {key: user}."""
    pairs = (entry.strip().partition(":") for entry in raw.split(",") if entry.strip())
    return {key: user for user, _, key in pairs if user and key}


def create_app(clock: Callable[[], dt.datetime] | None = None) -> FastAPI:
    keys = _keys(os.environ.get("PROFILES_API_KEYS", ""))
    clock = clock or (lambda: dt.datetime.now(dt.UTC))
    profiles = Profiles(clock)

    def authenticate(call: Call) -> None:
        user = keys.get(call.header("x-api-key") or "")
        if user is None:
            raise Problem(401, "unauthorized", "send your API key in X-Api-Key")
        call.state["user"] = user

    def default_locale(call: Call) -> str:
        """For a v1 client, which cannot send a locale: its Accept-Language, else English."""
        first = (call.header("accept-language") or "").split(",")[0].split(";")[0].strip()
        return first if _LOCALE.match(first) else "en"

    api = VersionedAPI(
        HERE.parent / "schemas",
        models="profiles.models",
        changes="profiles.changes",
        routes=profiles.routes(),
        gate=Gate(guards=[authenticate], max_body_bytes=16 * 1024, statuses=(401,)),
        context={"default_locale": default_locale},
        title="Profiles API",
        problem_type_base="https://docs.example.com/profiles-api/problems/",
        clock=clock,
    )
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    api.install(app)
    return app
