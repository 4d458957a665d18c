"""What changed from v1 to v2, declared once; contractkit.fastapi composes it into conversions.

Read this file as the API changelog of that step. Each function is pure: a body dict in, a body dict out;
no database, no HTTP. An upgrade reads what it needs beyond the body from its context (`ctx.cart_currency`,
loaded by the app per request, given as a plain value by replay and fuzzing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from contractkit.fastapi import Problem, VersionChange
from service.money import major_to_minor, minor_to_major

__all__ = ["CHANGES"]

_V1_CURRENCIES = frozenset({"USD", "EUR", "GBP"})
_V1_MAX_QUANTITY = 99


def _not_representable(detail: str) -> Problem:
    # v2 is this change set's own successor: what v1 cannot show, v2 can.
    return Problem(409, "not-representable-in-version", detail + "; read it through v2", successor="v2")


# --- money: v1 float major units <-> v2 {amount_minor, currency} -------------------------------------------


def _item_add_price_up(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
    currency = ctx.cart_currency
    minor = major_to_minor(body["unit_price"], currency)
    if minor is None:
        # Valid by the schema, refused by the cart's state (its currency): a conflict, not a malformed body.
        raise Problem(
            409,
            "conflicts-with-cart",
            f"the price does not fit the cart's currency {currency}",
            errors=[("/unit_price", f"has more decimal places than {currency} allows")],
        )
    return {**body, "unit_price": {"amount_minor": minor, "currency": currency}}


def _item_money_down(body: dict[str, Any]) -> dict[str, Any]:
    price = body["unit_price"]
    if price["amount_minor"] == 0:
        raise _not_representable(f"item {body['id']} has a zero price, which v1 cannot express")
    return {
        **body,
        "unit_price": minor_to_major(price["amount_minor"], price["currency"]),
        "line_total": minor_to_major(body["line_total"]["amount_minor"], body["line_total"]["currency"]),
    }


def _cart_money_down(body: dict[str, Any]) -> dict[str, Any]:
    total = body["total"]
    return {
        **body,
        "total": minor_to_major(total["amount_minor"], total["currency"]),
        "items": [_item_money_down(item) for item in body["items"]],
    }


MONEY_AS_MINOR_UNITS = VersionChange(
    "Prices become {amount_minor, currency} objects instead of floats in major units.",
    upgrade={"cart_item_add": _item_add_price_up},
    downgrade={"cart_item": _item_money_down, "cart": _cart_money_down},
)


# --- currency: optional with USD default, three codes -> required ISO 4217 ---------------------------------


def _cart_create_currency_up(body: dict[str, Any], ctx: Any) -> dict[str, Any]:
    return body if "currency" in body else {**body, "currency": "USD"}


def _cart_currency_down(body: dict[str, Any]) -> dict[str, Any]:
    if body["currency"] not in _V1_CURRENCIES:
        raise _not_representable(f"cart {body['id']} is in {body['currency']}, which v1 does not know")
    return body


CURRENCY_REQUIRED = VersionChange(
    "A cart's currency becomes a required ISO 4217 code (v1: optional, USD, EUR or GBP, default USD).",
    upgrade={"cart_create": _cart_create_currency_up},
    downgrade={"cart": _cart_currency_down},
)


# --- quantity limit 99 -> 999 ------------------------------------------------------------------------------


def _item_quantity_down(body: dict[str, Any]) -> dict[str, Any]:
    if body["quantity"] > _V1_MAX_QUANTITY:
        raise _not_representable(f"item {body['id']} has quantity {body['quantity']}, above v1's limit of 99")
    return body


def _cart_quantity_down(body: dict[str, Any]) -> dict[str, Any]:
    for item in body["items"]:
        _item_quantity_down(item)
    return body


QUANTITY_LIMIT_RAISED = VersionChange(
    "The per-line quantity limit rises from 99 to 999.",
    downgrade={"cart_item": _item_quantity_down, "cart": _cart_quantity_down},
)


# --- fields that v1 does not have ---------------------------------------------------------------------------

_V2_ONLY_ITEM = ("gift_wrap", "note")
_V2_ONLY_CART = ("note", "metadata", "item_count", "updated_at")


def _item_fields_down(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    for k in _V2_ONLY_ITEM:
        out.pop(k, None)
    return out


def _cart_fields_down(body: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in body.items() if k not in _V2_ONLY_CART}
    out["items"] = [_item_fields_down(item) for item in body["items"]]
    return out


NEW_OPTIONAL_FIELDS = VersionChange(
    "Items gain gift_wrap and note; carts gain note, metadata, item_count and updated_at in responses.",
    downgrade={"cart_item": _item_fields_down, "cart": _cart_fields_down},
)


CHANGES: Sequence[VersionChange] = (MONEY_AS_MINOR_UNITS, CURRENCY_REQUIRED, QUANTITY_LIMIT_RAISED, NEW_OPTIONAL_FIELDS)
