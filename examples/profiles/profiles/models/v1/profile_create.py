# generated from schemas/v1/profile_create.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field


class ProfileCreate(BaseModel):
    """
    Request body of POST /v1/profiles.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    handle: Annotated[str, Field(description="Unique, lower case.", pattern="^[a-z0-9_]{3,20}$")]
    name: Annotated[
        str,
        Field(description="How the profile is shown.", max_length=100, min_length=1),
    ]
