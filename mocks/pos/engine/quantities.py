"""Quantities travel as decimal strings (Square): parse them strictly and format them back."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from mocks.pos.engine.errors import InvalidRequest

MAX_QUANTITY = Decimal("1e12")


def parse_quantity(value: object, field: str, *, allow_zero: bool = True) -> Decimal:
    """A non-negative decimal with at most 5 decimal places, e.g. "3" or "1.25"."""
    if not isinstance(value, str):
        raise InvalidRequest(
            f'expected a decimal string such as "2" or "1.5", got {value!r}',
            field=field,
            code="EXPECTED_STRING",
        )
    try:
        qty = Decimal(value.strip())
    except InvalidOperation:
        qty = Decimal("NaN")
    if not qty.is_finite():
        raise InvalidRequest(
            f'expected a decimal string such as "2" or "1.5", got {value!r}', field=field
        )
    exponent = qty.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -5:
        raise InvalidRequest(f"at most 5 decimal places, got {value!r}", field=field)
    if qty < 0 or (qty == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise InvalidRequest(f"must be {bound}, got {value!r}", field=field, code="VALUE_TOO_LOW")
    if qty >= MAX_QUANTITY:
        raise InvalidRequest(
            f"must be < {MAX_QUANTITY:f}, got {value!r}", field=field, code="VALUE_TOO_HIGH"
        )
    return qty


def fmt_quantity(qty: Decimal) -> str:
    """Format without exponent and without trailing zeros: Decimal("2.500") → "2.5"."""
    text = f"{qty.normalize():f}"
    return "0" if text in ("-0", "0") else text
