"""The cart's problem details: contractkit.fastapi's `Problem`, typed under the cart's documentation URL.

Handlers, hooks and conversions raise `Problem`; the version gate renders it as problem+json with
`type = TYPE_BASE + kind`. `problem_response` renders one outside the gate (the cart's own routes).
"""

from __future__ import annotations

from starlette.responses import Response

from contractkit.fastapi import Problem
from contractkit.fastapi import problem_response as _problem_response

__all__ = ["TYPE_BASE", "Problem", "problem_response"]

TYPE_BASE = "https://docs.example.com/cart-api/problems/"


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    return _problem_response(problem, instance, TYPE_BASE)
