"""What a load test seeds: the scenario's items, stores and customers in the ERP, and the
same items with the same opening stock in the POS (so ERP and POS books start equal and
the run's stock convergence can be judged)."""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["LOAD_STOCK", "erp_catalog", "pos_counts"]

LOAD_STOCK = 10**9
"""Opening stock per SKU and store: a load test must not run out of stock."""


def erp_catalog(world: Any, *, exponent: int = 2) -> dict[str, Any]:
    """The body of the mock ERP's ``POST /admin/erp/catalog`` for a `simulator` world."""
    cat = world.catalog
    scale = 10**exponent
    return {
        "items": [
            {"number": sku, "displayName": name[:100], "unitPrice": f"{price / scale:.{exponent}f}"}
            for sku, name, price in zip(
                cat.sku_ids, cat.names, cat.price_minor.tolist(), strict=True
            )
        ],
        "locations": [
            {"code": sid, "displayName": name[:100]}
            for sid, name in zip(world.store_ids, world.store_names, strict=True)
        ],
        "customers": [{"number": "RETAIL", "displayName": "Retail walk-in customer"}]
        + [
            {"number": cid, "displayName": name[:100]}
            for cid, name in zip(
                world.customer_ids.to_pylist(), world.customer_names.to_pylist(), strict=True
            )
        ],
        "stock": [
            {"itemNumber": sku, "locationCode": store, "quantity": LOAD_STOCK}
            for sku in cat.sku_ids
            for store in world.store_ids
        ],
    }


def pos_counts(world: Any, scenario: Any) -> list[dict[str, Any]]:
    """The body rows of the mock POS's ``POST /driver/v1/inventory``: every SKU in every
    store at `LOAD_STOCK`, counted a second before the scenario starts (it creates the
    catalogue's item variations too)."""
    cat = world.catalog
    opening = (scenario.start.replace(tzinfo=scenario.zone) - dt.timedelta(seconds=1)).isoformat()
    return [
        {
            "store_id": store,
            "sku": sku,
            "quantity": str(LOAD_STOCK),
            "occurred_at": opening,
            "name": name[:500],
            "unit_price": int(price),
            "currency": scenario.currency,
        }
        for sku, name, price in zip(cat.sku_ids, cat.names, cat.price_minor.tolist(), strict=True)
        for store in world.store_ids
    ]
