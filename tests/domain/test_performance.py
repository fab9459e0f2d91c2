"""Construction cost of the hot documents (run with ``pytest -m slow``).

The best of 30 rounds is compared, so a busy machine does not fail the check.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal

import pytest

from domain import (
    CardBrand,
    CardTender,
    Discount,
    Money,
    Rounding,
    Sale,
    SaleLine,
    Sku,
    TaxClass,
    TaxRounding,
    invoice_from_sale,
)

STANDARD = TaxClass("standard", Decimal("0.0825"))
FOOD = TaxClass("food", Decimal("0.02"))
PRICE = Money.of("1.99", "USD")
PROMO = (Discount("promo", Money.of("0.10", "USD")),)


def five_lines() -> list[SaleLine]:
    return [
        SaleLine(
            i, Sku(f"SKU-{i}"), None, Decimal(i), PRICE, PROMO if i % 2 else (),
            STANDARD if i % 2 else FOOD,
        )
        for i in range(1, 6)
    ]  # fmt: skip


def best_seconds(action: Callable[[], object], *, rounds: int = 30, per_round: int = 200) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(per_round):
            action()
        samples.append((time.perf_counter() - start) / per_round)
    return min(samples)


@pytest.mark.slow
def test_sale_of_five_lines_builds_well_under_100_microseconds(
    sale: Callable[..., Sale],
) -> None:
    lines = five_lines()
    receipt = sale(lines)
    tenders = [CardTender(receipt.total, CardBrand.VISA, "4242")]

    def build() -> Sale:
        return Sale(
            "T-1", "S001", "R01", "C01", None, receipt.business_day, receipt.started_at,
            receipt.completed_at, "USD", five_lines(), tenders, TaxRounding.PER_DOCUMENT,
            Rounding.HALF_UP,
        )  # fmt: skip

    assert build().total == receipt.total
    assert best_seconds(build) < 100e-6
    assert best_seconds(lambda: invoice_from_sale(receipt)) < 150e-6
