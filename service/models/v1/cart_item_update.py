# generated from schemas/v1/cart_item_update.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from typing import Annotated


class CartItemUpdate(BaseModel):
    """
    Request body of PATCH /v1/carts/{cart_id}/items/{item_id}.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    quantity: Annotated[JsonInt, Field(ge=1, le=99)]
