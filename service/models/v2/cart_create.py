# generated from schemas/v2/cart_create.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field, MISSING, StringConstraints
from typing_extensions import TypeAliasType
from ..common import currency as currency_1


MetadataAdditionalProperty = TypeAliasType(
    "MetadataAdditionalProperty", Annotated[str, Field(max_length=200)]
)


class CartCreate(BaseModel):
    """
    Request body of POST /v2/carts.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    customer_id: Annotated[str, Field(max_length=64, min_length=1)]
    currency: currency_1.Currency
    note: Annotated[str | MISSING, Field(max_length=500)] = MISSING
    metadata: Annotated[
        dict[
            Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")],
            MetadataAdditionalProperty,
        ]
        | MISSING,
        Field(max_length=20),
    ] = MISSING
