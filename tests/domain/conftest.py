"""Small builders shared by the domain tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from typing import Any

import pytest

from domain import (
    CashTender,
    Money,
    Return,
    ReturnLine,
    Rounding,
    Sale,
    SaleLine,
    Sku,
    TaxClass,
    TaxRounding,
)

STANDARD = TaxClass("standard", Decimal("0.0825"))
FOOD = TaxClass("food", Decimal("0.02"))


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


@pytest.fixture
def line() -> Callable[..., SaleLine]:
    """Build a sale line: ``line(1, "3", "1.99", discounts=...)``."""

    def build(
        line_no: int = 1,
        quantity: str = "1",
        price: str = "1.00",
        *,
        tax_class: TaxClass = STANDARD,
        **options: Any,
    ) -> SaleLine:
        return SaleLine(
            line_no,
            Sku(f"SKU-{line_no}"),
            options.pop("gtin", None),
            Decimal(quantity),
            usd(price),
            options.pop("discounts", ()),
            tax_class,
            **options,
        )

    return build


def reference_total(lines: list[SaleLine], rule: TaxRounding, rounding: Rounding) -> Decimal:
    """Total of a sale's lines by plain Decimal arithmetic: an oracle independent of domain."""
    mode = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}[str(rounding)]
    rule = TaxRounding(rule)
    cent = Decimal("0.01")
    nets: dict[str, list[Decimal]] = {}
    rates: dict[str, Decimal] = {}
    for item in lines:
        if item.voided:
            continue
        gross = (item.quantity * item.unit_price.amount).quantize(cent, rounding=ROUND_HALF_UP)
        net = gross - sum((d.amount.amount for d in item.discounts), Decimal(0))
        nets.setdefault(item.tax_class.name, []).append(net)
        rates[item.tax_class.name] = item.tax_class.rate
    total = Decimal(0)
    for name, values in nets.items():
        if rule is TaxRounding.PER_DOCUMENT:
            tax = (sum(values, Decimal(0)) * rates[name]).quantize(cent, rounding=mode)
        else:
            tax = sum(((v * rates[name]).quantize(cent, rounding=mode) for v in values), Decimal(0))
        total += sum(values, Decimal(0)) + tax
    return total


@pytest.fixture
def sale() -> Callable[..., Sale]:
    """Build a USD sale of ``lines``; tenders default to exact cash for the reference total."""

    def build(lines: list[SaleLine], **options: Any) -> Sale:
        fields: dict[str, Any] = {
            "txn_id": "T-1",
            "store_id": "S001",
            "register_id": "R01",
            "cashier_id": "C01",
            "customer_id": None,
            "business_day": date(2026, 11, 27),
            "started_at": datetime(2026, 11, 27, 10, 0),
            "completed_at": datetime(2026, 11, 27, 10, 3),
            "currency": "USD",
            "lines": lines,
            "tax_rounding": TaxRounding.PER_DOCUMENT,
            "rounding": Rounding.HALF_UP,
        }
        fields.update(options)
        if "tenders" not in fields:
            total = reference_total(lines, fields["tax_rounding"], fields["rounding"])
            fields["tenders"] = [CashTender.exact(usd(str(total)))] if total else []
        return Sale(**fields)

    return build


@pytest.fixture
def return_() -> Callable[..., Return]:
    """Build a USD return of ``lines`` with one exact cash refund of ``refund``."""

    def build(lines: list[ReturnLine], refund: str, **options: Any) -> Return:
        fields: dict[str, Any] = {
            "txn_id": "RT-1",
            "store_id": "S001",
            "register_id": "R01",
            "cashier_id": "C01",
            "customer_id": None,
            "business_day": date(2026, 11, 28),
            "started_at": datetime(2026, 11, 28, 9, 0),
            "completed_at": datetime(2026, 11, 28, 9, 2),
            "currency": "USD",
            "lines": lines,
            "tenders": [CashTender.exact(usd(refund))],
            "tax_rounding": TaxRounding.PER_DOCUMENT,
            "rounding": Rounding.HALF_UP,
            "receipted": True,
        }
        fields.update(options)
        return Return(**fields)

    return build
