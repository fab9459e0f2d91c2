"""Integer money arithmetic on numpy columns, matching `domain.Money` to the minor unit.

Rates and fractions are kept as exact rationals (``Decimal("0.0825")`` → 825/10000), so
``round(rate × net)`` is computed without floats and with the scenario's rounding rule,
exactly like ``domain`` does with ``Decimal`` quantize.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

__all__ = ["mul_round", "rational"]

I64 = NDArray[np.int64]


def rational(value: Decimal) -> tuple[int, int]:
    """``value`` as (numerator, denominator) integers, e.g. Decimal("0.0825") → (33, 400)."""
    num, den = value.as_integer_ratio()
    return int(num), int(den)


def mul_round(amount: I64, ratio: tuple[int | I64, int | I64], rounding: str) -> I64:
    """``round(amount × num / den)`` per element, ``half_up`` (away from zero) or ``half_even``.

    ``num`` and ``den`` may be arrays (one ratio per element).
    """
    num, den = ratio
    product = np.abs(amount) * num
    q, r = np.divmod(product, den)
    twice = 2 * r
    if rounding == "half_up":
        q = q + (twice >= den)
    elif rounding == "half_even":
        q = q + ((twice > den) | ((twice == den) & (q % 2 == 1)))
    else:
        raise ValueError(f"rounding: must be half_up or half_even, got {rounding!r}")
    return np.asarray(np.sign(amount) * q, dtype=np.int64)
