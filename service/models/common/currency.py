# generated from schemas/common/currency.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import Field, RootModel


class Currency(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="ISO 4217 alphabetic currency code.",
            examples=["EUR", "USD"],
            pattern="^[A-Z]{3}$",
            title="Currency",
        ),
    ]
