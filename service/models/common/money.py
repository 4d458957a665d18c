# generated from schemas/common/money.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from .._json import JsonInt
from pydantic import BaseModel, ConfigDict, Field, StrictInt
from typing import Annotated
from . import currency as currency_1


class Money(BaseModel):
    """
    An amount of money in the currency's minor unit (cents for EUR and USD).
    """

    model_config = ConfigDict(
        extra="forbid",
    )
    amount_minor: Annotated[
        JsonInt, Field(description="Amount in minor units.", ge=0, le=100000000000)
    ]
    currency: currency_1.Currency
