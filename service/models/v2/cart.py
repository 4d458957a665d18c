# generated from schemas/v2/cart.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonDateTime, JsonInt, JsonUUID
from uuid import UUID
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, MISSING, StrictInt
from typing import Annotated
from ..common import currency as currency_1, money
from . import cart_item


class Cart(BaseModel):
    """
    A cart, as v2 returns it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: JsonUUID
    customer_id: str
    currency: currency_1.Currency
    note: str | MISSING = MISSING
    metadata: dict[str, str] | MISSING = MISSING
    items: list[cart_item.CartItem]
    item_count: Annotated[JsonInt, Field(ge=0)]
    total: money.Money
    created_at: JsonDateTime
    updated_at: JsonDateTime
