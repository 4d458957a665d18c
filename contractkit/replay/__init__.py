"""Replay recorded fixtures against every version: schema, generated model, live service, conversions."""

from contractkit.replay.fixtures import Fixture, FixtureSet, Target, load_fixtures
from contractkit.replay.runner import Cell, Conversions, ReplayFailure, ReplayResult, load_object, replay

__all__ = [
    "Cell",
    "Conversions",
    "Fixture",
    "FixtureSet",
    "ReplayFailure",
    "ReplayResult",
    "Target",
    "load_fixtures",
    "load_object",
    "replay",
]
