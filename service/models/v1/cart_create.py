# generated from schemas/v1/cart_create.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from enum import StrEnum
from typing import Annotated
from pydantic import BaseModel, ConfigDict, Field, MISSING


class Currency(StrEnum):
    USD = "USD"
    EUR = "EUR"
    GBP = "GBP"


class CartCreate(BaseModel):
    """
    Request body of POST /v1/carts.
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    customer_id: Annotated[str, Field(max_length=64, min_length=1)]
    currency: Currency = "USD"
    note: Annotated[str | MISSING, Field(max_length=500)] = MISSING
