# generated from schemas/index.toml by `contractkit codegen` — do not edit.

"""The head version's models (v2): business code imports these, never a version's own package.

`contractkit codegen` rewrites this module when the head version changes.
"""

from .v2.cart import Cart
from .v2.cart_create import CartCreate
from .v2.cart_item import CartItem
from .v2.cart_item_add import CartItemAdd
from .v2.cart_item_update import CartItemUpdate
from .v2.problem import ProblemV2

VERSION = "v2"

__all__ = [
    "Cart",
    "CartCreate",
    "CartItem",
    "CartItemAdd",
    "CartItemUpdate",
    "ProblemV2",
    "VERSION",
]
