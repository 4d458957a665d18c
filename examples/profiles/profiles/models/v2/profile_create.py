# generated from schemas/v2/profile_create.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field


class ProfileCreate(BaseModel):
    """
    Request body of POST /v2/profiles: v1's name is display_name, and a locale is required.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    handle: Annotated[str, Field(description="Unique, lower case.", pattern="^[a-z0-9_]{3,20}$")]
    display_name: Annotated[str, Field(max_length=100, min_length=1)]
    locale: Annotated[
        str,
        Field(
            description="BCP 47 language tag: a language, optionally a region (fr, fr-CA).",
            pattern="^[a-z]{2}(-[A-Z]{2})?$",
        ),
    ]
