# generated from schemas/v2/cart_item_add.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt
from pydantic import BaseModel, ConfigDict, Field, MISSING, StrictBool, StrictInt
from typing import Annotated
from ..common import money, sku as sku_1


class CartItemAdd(BaseModel):
    """
    Request body of POST /v2/carts/{cart_id}/items.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    sku: sku_1.Sku
    quantity: Annotated[JsonInt, Field(ge=1, le=999)]
    unit_price: money.Money
    gift_wrap: StrictBool = False
    note: Annotated[str | MISSING, Field(max_length=200)] = MISSING
