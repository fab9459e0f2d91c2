"""Tenders: payment kind from the scenario's mix, cash change, card brand and last four.

Cards carry brand and last four only (like real POS APIs). `card_pans` makes the dirty data
of DESIGN.md "card data": Luhn-valid card numbers that a cashier typed into a notes field.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "DOMAIN_BRANDS",
    "TenderDraw",
    "card_pans",
    "cash_tendered",
    "draw_tenders",
    "luhn_valid",
]

WALLETS = ("apple_pay", "google_pay", "samsung_pay")
OTHER_KINDS = ("gift_card", "store_credit", "voucher")
CARD_KINDS = ("credit", "debit")
_DENOMINATIONS_MAJOR = (1, 5, 10, 20, 50, 100)
_EXACT_CASH = 0.15
_BRAND_PREFIX = {"visa": "4", "mastercard": "51", "amex": "37", "discover": "6011"}
_BRAND_LENGTH = {"amex": 15}
DOMAIN_BRANDS = {
    "visa": "VISA",
    "mastercard": "MASTERCARD",
    "amex": "AMERICAN_EXPRESS",
    "discover": "DISCOVER",
}
"""Scenario brand names → `domain.CardBrand` values (Square's ``card_brand``)."""


@dataclasses.dataclass(slots=True)
class TenderDraw:
    kind: NDArray[np.int64]
    """index into the mix's kind names"""
    brand: NDArray[np.int64]
    """index into the brand names (meaningful for card kinds)"""
    last4: NDArray[np.int64]
    detail: NDArray[np.int64]
    """wallet of a mobile tender, kind of an other tender"""


def _pick(rng: np.random.Generator, shares: list[float], n: int) -> NDArray[np.int64]:
    cdf = np.cumsum(shares)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(shares) - 1)


def draw_tenders(
    rng: np.random.Generator, mix: list[float], brands: list[float], n: int
) -> TenderDraw:
    return TenderDraw(
        kind=_pick(rng, mix, n),
        brand=_pick(rng, brands, n),
        last4=rng.integers(0, 10_000, n),
        detail=rng.integers(0, len(WALLETS), n),
    )


def cash_tendered(
    rng: np.random.Generator, amount: NDArray[np.int64], exponent: int
) -> NDArray[np.int64]:
    """What the customer hands over: the amount exactly, or the next note or coin above it."""
    unit = 10**exponent
    notes = np.asarray(_DENOMINATIONS_MAJOR) * unit
    idx = np.minimum(np.searchsorted(notes, amount, side="left"), len(notes) - 1)
    note = notes[idx]
    rounded = -(-amount // note) * note
    exact = rng.random(len(amount)) < _EXACT_CASH
    return np.where(exact, amount, np.maximum(rounded, amount)).astype(np.int64)


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def card_pans(rng: np.random.Generator, brands: list[str], last4: list[int]) -> list[str]:
    """Luhn-valid card numbers of the given brands that end in the given last four.

    The free digit before the last four is solved for so the whole number passes Luhn.
    """
    out = []
    for brand, tail in zip(brands, last4, strict=True):
        prefix = _BRAND_PREFIX.get(brand, "4")
        length = _BRAND_LENGTH.get(brand, 16)
        middle_len = length - len(prefix) - 4 - 1
        middle = "".join(str(d) for d in rng.integers(0, 10, middle_len).tolist())
        base = f"{prefix}{middle}"
        tail_s = f"{tail:04d}"
        pan = next(f"{base}{d}{tail_s}" for d in range(10) if luhn_valid(f"{base}{d}{tail_s}"))
        out.append(pan)
    return out
