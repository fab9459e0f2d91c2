"""`make bench`: what the domain's hot documents cost to build.

A five-line sale (`domain.Sale`, validated, totals in `Money`) and the invoice made from it
(`domain.invoice_from_sale`), against a baseline in the same run: the same five lines as
plain tuples with their total summed in `Decimal`, the least any representation costs.
The best of many rounds is kept, so a busy neighbour does not count. Targets: a sale under
100 µs, an invoice under 150 µs.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

__all__ = ["run"]

_RATE = Decimal("0.0825")
_CENT = Decimal("0.01")


def _best_seconds(action: Callable[[], object], *, rounds: int, per_round: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(per_round):
            action()
        samples.append((time.perf_counter() - started) / per_round)
    return min(samples)


def _plain_total() -> Decimal:
    lines = [
        (i, f"SKU-{i}", Decimal(i), Decimal("1.99"), Decimal("0.10") * (i % 2)) for i in range(1, 6)
    ]
    net = sum((q * p - d for _, _, q, p, d in lines), Decimal(0))
    return (net * (1 + _RATE)).quantize(_CENT, ROUND_HALF_UP)


def run(quick: bool = False) -> dict[str, Any]:
    """Time building a sale and its invoice beside the plain-Decimal baseline."""
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
        compute_tax_lines,
        invoice_from_sale,
    )

    standard = TaxClass("standard", _RATE)
    food = TaxClass("food", Decimal("0.02"))
    price = Money.of("1.99", "USD")
    promo = (Discount("promo", Money.of("0.10", "USD")),)

    def lines() -> list[SaleLine]:
        return [
            SaleLine(
                i, Sku(f"SKU-{i}"), None, Decimal(i), price, promo if i % 2 else (),
                standard if i % 2 else food,
            )
            for i in range(1, 6)
        ]  # fmt: skip

    def build(tenders: list[Any]) -> Sale:
        return Sale(
            "T-1", "S001", "R01", "C01", None, date(2026, 11, 27), datetime(2026, 11, 27, 10),
            datetime(2026, 11, 27, 10, 3), "USD", lines(), tenders, TaxRounding.PER_DOCUMENT,
            Rounding.HALF_UP,
        )  # fmt: skip

    taxed = [(line.tax_class, line.net) for line in lines()]
    tax = compute_tax_lines(
        taxed, currency="USD", rule=TaxRounding.PER_DOCUMENT, rounding=Rounding.HALF_UP
    )
    total = sum((net for _, net in taxed), Money.of("0", "USD"))
    total = sum((line.tax for line in tax), total)
    tenders = [CardTender(total, CardBrand.VISA, "4242")]
    sale = build(tenders)
    rounds, per_round = (5, 50) if quick else (30, 200)
    baseline = _best_seconds(_plain_total, rounds=rounds, per_round=per_round)
    sale_s = _best_seconds(lambda: build(tenders), rounds=rounds, per_round=per_round)
    invoice_s = _best_seconds(lambda: invoice_from_sale(sale), rounds=rounds, per_round=per_round)
    return {
        "baseline_us": round(baseline * 1e6, 2),
        "sale_us": round(sale_s * 1e6, 2),
        "invoice_us": round(invoice_s * 1e6, 2),
        "sale_over_baseline": round(sale_s / baseline, 1),
        "invoice_over_baseline": round(invoice_s / baseline, 1),
        "target_sale_us": 100.0,
        "target_invoice_us": 150.0,
    }
