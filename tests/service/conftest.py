"""Fixtures for the service tests; see support.py for the helpers and the `Api` facade."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal

from service.app import create_app
from service.settings import Settings
from tests.service.support import API_KEYS, Api, Clock


@pytest.fixture
def portal() -> Iterator[BlockingPortal]:
    with start_blocking_portal() as p:
        yield p


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_api(tmp_path: Path, portal: BlockingPortal) -> Iterator[Callable[..., Api]]:
    apis: list[Api] = []

    def make(clock: Callable[[], Any] | None = None, **overrides: Any) -> Api:
        fields: dict[str, Any] = {"database_url": f"sqlite:///{tmp_path / 'cart.db'}", "api_keys": API_KEYS}
        fields.update(overrides)
        api = Api(create_app(Settings(**fields), clock=clock or Clock()), portal)
        apis.append(api)
        return api

    yield make
    for api in apis:
        api.close()


@pytest.fixture
def api(make_api: Callable[..., Api], clock: Clock) -> Api:
    return make_api(clock=clock)
