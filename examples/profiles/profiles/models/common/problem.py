# generated from schemas/common/problem.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt
from pydantic import BaseModel, Field, MISSING, StrictInt
from typing import Annotated


class ProblemError(BaseModel):
    pointer: str
    detail: str


class Problem(BaseModel):
    """
    RFC 9457 problem details.
    """

    type: str
    title: str
    status: Annotated[JsonInt, Field(ge=100, le=599)]
    detail: str | MISSING = MISSING
    instance: str | MISSING = MISSING
    errors: list[ProblemError] | MISSING = MISSING
    successor: Annotated[
        str | MISSING,
        Field(description="For 410 Gone: the version that replaces the sunset one."),
    ] = MISSING
