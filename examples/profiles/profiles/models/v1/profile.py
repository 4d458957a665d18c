# generated from schemas/v1/profile.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonDateTime, JsonUUID
from uuid import UUID
from typing import Annotated
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field


class Profile(BaseModel):
    """
    A profile, as v1 shows it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: JsonUUID
    handle: Annotated[str, Field(description="Unique, lower case.", pattern="^[a-z0-9_]{3,20}$")]
    name: Annotated[str, Field(max_length=100, min_length=1)]
    created_at: JsonDateTime
