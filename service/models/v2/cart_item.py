# generated from schemas/v2/cart_item.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt, JsonUUID
from uuid import UUID
from pydantic import BaseModel, ConfigDict, Field, MISSING, StrictBool, StrictInt
from typing import Annotated
from ..common import money, sku as sku_1


class CartItem(BaseModel):
    """
    A line of a cart, as v2 returns it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: JsonUUID
    sku: sku_1.Sku
    quantity: Annotated[JsonInt, Field(ge=1, le=999)]
    unit_price: money.Money
    line_total: money.Money
    gift_wrap: StrictBool
    note: Annotated[str | MISSING, Field(max_length=200)] = MISSING
