"""Seed the mocks from the simulator's world: items with prices, one location per store,
opening stock (the truth's ``initial`` column) and customers.

The mock ERP (when it runs) gets items, locations, customers (plus the ``RETAIL`` walk-in
customer store sales post to) and stock through its admin catalogue route; the POS gets the same
catalogue, locations and opening counts through the driver's ``/driver/v1/inventory``.
Customers start in the ERP only: the connector carries them to the POS (match by e-mail).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq

from tillbench.live.errors import HarnessError
from tillbench.live.mocks import ADMIN_TOKEN, MockServers

__all__ = ["WALK_IN_CUSTOMER", "opening_stock", "seed_mocks"]

WALK_IN_CUSTOMER = {"number": "RETAIL", "displayName": "Retail walk-in customer"}
_POS_CHUNK = 20_000


def _major(minor: int, exponent: int) -> str:
    return str(Decimal(int(minor)).scaleb(-exponent))


def opening_stock(run_dir: Path) -> list[tuple[str, str, int]]:
    """(store_id, sku, units) of the simulator's opening stock."""
    table = pq.read_table(
        run_dir / "truth" / "stock_final.parquet", columns=["store_id", "sku", "initial"]
    )
    return [
        (str(s), str(k), int(q))
        for s, k, q in zip(
            table.column("store_id").to_pylist(),
            table.column("sku").to_pylist(),
            table.column("initial").to_pylist(),
            strict=True,
        )
    ]


def seed_mocks(
    servers: MockServers, *, scenario: Any, world: Any, run_dir: Path, exponent: int
) -> dict[str, int]:
    """Load both mocks (only the POS when the ERP is a real one, which `erps`
    loads itself); returns counts of what was loaded."""
    cat = world.catalog
    stock = opening_stock(run_dir)
    items = [
        {
            "number": sku,
            "displayName": name[:100],
            "unitPrice": _major(price, exponent),
            "unitCost": _major(cost, exponent),
            "gtin": gtin,
        }
        for sku, name, price, cost, gtin in zip(
            cat.sku_ids,
            cat.names,
            cat.price_minor.tolist(),
            cat.cost_minor.tolist(),
            cat.gtins,
            strict=True,
        )
    ]
    locations = [
        {"code": sid, "displayName": name[:100]}
        for sid, name in zip(world.store_ids, world.store_names, strict=True)
    ]
    customers = [WALK_IN_CUSTOMER] + [
        {"number": cid, "displayName": name[:100], "email": email[:80]}
        for cid, name, email in zip(
            world.customer_ids.to_pylist(),
            world.customer_names.to_pylist(),
            world.customer_emails.to_pylist(),
            strict=True,
        )
    ]
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with httpx.Client(timeout=120, headers=admin) as client:
        if servers.has_erp:
            erp = client.post(
                f"{servers.erp_base}/admin/erp/catalog",
                json={
                    "items": items,
                    "locations": locations,
                    "customers": customers,
                    "stock": [
                        {"itemNumber": k, "locationCode": s, "quantity": q} for s, k, q in stock
                    ],
                },
            )
            _check(erp, "seeding the ERP (POST /admin/erp/catalog)")
        names = dict(zip(cat.sku_ids, cat.names, strict=True))
        prices = dict(zip(cat.sku_ids, cat.price_minor.tolist(), strict=True))
        opening = (
            scenario.start.replace(tzinfo=scenario.zone) - dt.timedelta(seconds=1)
        ).isoformat()
        counts = [
            {
                "store_id": s,
                "sku": k,
                "quantity": str(q),
                "occurred_at": opening,
                "name": names[k][:500],
                "unit_price": int(prices[k]),
                "currency": scenario.currency,
            }
            for s, k, q in stock
        ]
        for start in range(0, len(counts), _POS_CHUNK):
            pos = client.post(
                f"{servers.pos_url}/driver/v1/inventory",
                json={"counts": counts[start : start + _POS_CHUNK]},
            )
            _check(pos, "seeding the POS (POST /driver/v1/inventory)")
    return {
        "items": len(items),
        "locations": len(locations),
        "customers": len(customers),
        "stock": len(stock),
    }


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 300:
        raise HarnessError(f"{what} failed with {response.status_code}: {response.text[:500]}")
