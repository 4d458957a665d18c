# generated from schemas/common/sku.json by `contractkit codegen` — do not edit.

from __future__ import annotations
from typing import Annotated
from pydantic import Field, RootModel


class Sku(RootModel[str]):
    root: Annotated[
        str,
        Field(
            description="Stock keeping unit: upper-case letters and digits, optionally a variant suffix.",
            examples=["TSHIRT-RED", "MUG01"],
            max_length=21,
            min_length=3,
            pattern="^[A-Z0-9]{3,12}(-[A-Z0-9]{2,8})?$",
            title="Sku",
        ),
    ]
