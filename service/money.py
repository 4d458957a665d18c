"""Currency minor units (ISO 4217 exponents) and exact major <-> minor conversion."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = ["exponent", "major_to_minor", "minor_to_major"]

# ISO 4217 currencies whose minor unit is not 1/100; every other code has exponent 2.
_EXPONENTS = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    "CLF": 4,
    "UYW": 4,
}


def exponent(currency: str) -> int:
    return _EXPONENTS.get(currency, 2)


def major_to_minor(amount: float, currency: str) -> int | None:
    """19.99 USD -> 1999; None when the amount has more decimals than the currency allows (19.999 USD).

    Goes through the float's shortest repr, which is what the client wrote in its JSON.
    """
    try:
        scaled = Decimal(repr(amount)).scaleb(exponent(currency))
    except InvalidOperation:
        return None
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def minor_to_major(amount_minor: int, currency: str) -> float:
    return float(Decimal(amount_minor).scaleb(-exponent(currency)))
