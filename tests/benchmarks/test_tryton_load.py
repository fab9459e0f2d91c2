"""synthetic_sales: seeded, priced from the spec, paid in full."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from benchmarks.tryton_load import synthetic_sales


def test_synthetic_sales_are_seeded_and_paid(tryton_spec: dict[str, Any]) -> None:
    first = synthetic_sales(tryton_spec, 25, rng=random.Random(3), prefix="X", stores=["S0002"])
    again = synthetic_sales(tryton_spec, 25, rng=random.Random(3), prefix="X", stores=["S0002"])
    assert first == again
    assert len({s.reference for s in first}) == 25
    prices = {p["code"]: Decimal(p["gross_price"]) for p in tryton_spec["products"]}
    for sale in first:
        assert sale.store_id == "S0002"
        assert len(sale.lines) == 3
        total = Decimal(0)
        for line in sale.lines:
            assert line.unit_gross_price == prices[line.sku]
            assert 1 <= line.quantity <= 3
            total += (line.quantity * line.unit_gross_price).quantize(Decimal("0.01"))
        assert sale.payments == (("credit", total),)
