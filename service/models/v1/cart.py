# generated from schemas/v1/cart.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonDateTime, JsonUUID
from enum import StrEnum
from uuid import UUID
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictFloat
from typing import Annotated
from . import cart_item


class Currency(StrEnum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"


class Cart(BaseModel):
    """
    A cart, as v1 returns it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: JsonUUID
    customer_id: str
    currency: Currency
    items: list[cart_item.CartItem]
    total: Annotated[StrictFloat, Field(ge=0.0)]
    created_at: JsonDateTime
