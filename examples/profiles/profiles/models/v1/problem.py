# generated from schemas/v1/problem.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import Field, RootModel
from ..common import problem


class ProblemV1(RootModel[problem.Problem]):
    root: Annotated[
        problem.Problem,
        Field(
            description="Error body of every v1 error response (RFC 9457).",
            title="ProblemV1",
        ),
    ]
