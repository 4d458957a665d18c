# generated from schemas/v1/cart_item_add.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt
from typing import Annotated
from ..common import sku as sku_1


class CartItemAdd(BaseModel):
    """
    Request body of POST /v1/carts/{cart_id}/items.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    sku: sku_1.Sku
    quantity: Annotated[JsonInt, Field(ge=1, le=99)]
    unit_price: Annotated[
        StrictFloat,
        Field(
            description="Unit price in major currency units (e.g. 19.99).",
            gt=0.0,
            le=1000000.0,
        ),
    ]
