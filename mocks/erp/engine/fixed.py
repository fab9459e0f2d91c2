"""Exact decimals stored as integers with five decimal places (Business Central keeps
quantities and unit prices to 5 decimals, amounts to 2)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

SCALE = 100_000
_CENT = Decimal("0.01")


def to_fixed(value: Decimal | int | float | str) -> int:
    """``Decimal("1.5")`` → 150000."""
    if isinstance(value, int):
        return value * SCALE
    try:
        return _fixed_decimal(value)
    except TypeError:  # unhashable (a signalling NaN): no cache
        return _fixed_decimal.__wrapped__(value)


@lru_cache(maxsize=4096)
def _fixed_decimal(value: Decimal | float | str) -> int:
    """Quantities, prices and tax rates repeat from line to line: cached (equal values,
    e.g. ``Decimal("1")`` and ``Decimal("1.00")``, have the same fixed value)."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(number.scaleb(5).to_integral_value(ROUND_HALF_UP))


def from_fixed(value: int) -> Decimal:
    """150000 → ``Decimal("1.5")``."""
    return (Decimal(value) / SCALE).normalize()


def as_number(value: int) -> float:
    """A fixed integer as the JSON number the API answers with."""
    return value / SCALE


def round_amount(value: Decimal) -> Decimal:
    """Round a currency amount to cents, half up (Business Central's default)."""
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)
