"""The profiles business logic, written once against the head version's models; it names no version."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable
from typing import Any

from contractkit.fastapi import Call, Problem, Reply, Route
from profiles.models.head import ProfileCreate

Clock = Callable[[], dt.datetime]


class Profiles:
    """An in-memory store of profiles per user, and the operations on it."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._profiles: dict[tuple[str, str], dict[str, Any]] = {}

    def create(self, call: Call, body: ProfileCreate) -> Reply:
        profile = {
            "id": str(uuid.uuid4()),
            "handle": body.handle,
            "display_name": body.display_name,
            "locale": body.locale,
            "created_at": self.clock().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        with self._lock:
            self._profiles[(call.state["user"], profile["id"])] = profile
        return Reply(profile, headers={"Location": call.url(f"/profiles/{profile['id']}")})

    def read(self, call: Call, profile_id: str) -> dict[str, Any]:
        with self._lock:
            profile = self._profiles.get((call.state["user"], profile_id))
        if profile is None:
            raise Problem(404, "not-found", "no such profile")
        return profile

    def delete(self, call: Call, profile_id: str) -> None:
        with self._lock:
            if self._profiles.pop((call.state["user"], profile_id), None) is None:
                raise Problem(404, "not-found", "no such profile")

    def routes(self) -> list[Route]:
        one = "/profiles/{profile_id}"
        return [
            Route("POST", "/profiles", self.create, request="profile_create", response="profile", status=201),
            Route("GET", one, self.read, response="profile", errors=(404,)),
            Route("DELETE", one, self.delete, status=204, errors=(404,)),
        ]
