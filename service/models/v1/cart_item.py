# generated from schemas/v1/cart_item.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt, JsonUUID
from uuid import UUID
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt
from typing import Annotated
from ..common import sku as sku_1


class CartItem(BaseModel):
    """
    A line of a cart, as v1 returns it.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    id: JsonUUID
    sku: sku_1.Sku
    quantity: Annotated[JsonInt, Field(ge=1, le=99)]
    unit_price: Annotated[StrictFloat, Field(gt=0.0)]
    line_total: Annotated[StrictFloat, Field(ge=0.0)]
