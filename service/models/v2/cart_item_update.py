# generated from schemas/v2/cart_item_update.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    MISSING,
    RootModel,
    StrictBool,
    StrictInt,
)
from typing import Annotated


class CartItemUpdate1(BaseModel):
    """
    Request body of PATCH /v2/carts/{cart_id}/items/{item_id}; at least one of quantity and gift_wrap.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    quantity: Annotated[JsonInt, Field(ge=1, le=999)]
    gift_wrap: StrictBool | MISSING = MISSING


class CartItemUpdate2(BaseModel):
    """
    Request body of PATCH /v2/carts/{cart_id}/items/{item_id}; at least one of quantity and gift_wrap.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    quantity: Annotated[JsonInt | MISSING, Field(ge=1, le=999)] = MISSING
    gift_wrap: StrictBool


class CartItemUpdate(RootModel[CartItemUpdate1 | CartItemUpdate2]):
    root: Annotated[
        CartItemUpdate1 | CartItemUpdate2,
        Field(
            description="Request body of PATCH /v2/carts/{cart_id}/items/{item_id}; at least one of quantity and gift_wrap.",
            examples=[{"quantity": 3}, {"gift_wrap": True}],
            title="CartItemUpdate",
        ),
    ]
