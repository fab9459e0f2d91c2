"""What the mocks are seeded with, from the simulator's world: items with prices, one
location per store, opening stock (the truth's ``initial`` column) and customers.

The bodies go through the mock engines' own doors, the same for every dialect: the ERP's
``/admin/erp/catalog`` (items, locations, customers plus the ``RETAIL`` walk-in customer
store sales post to, stock) and the POS's ``/driver/v1/inventory`` (the same catalogue,
locations and opening counts). Customers start in the ERP only: the connector carries them
to the POS (match by e-mail). The targets (`tillbench.live.targets.mock`) post them;
`seed_mocks` does both for `MockServers`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

if TYPE_CHECKING:
    from tillbench.live.mocks import MockServers

__all__ = [
    "WALK_IN_CUSTOMER",
    "erp_catalog",
    "minor_exponent",
    "opening_stock",
    "pos_counts",
    "seed_mocks",
]

WALK_IN_CUSTOMER = {"number": "RETAIL", "displayName": "Retail walk-in customer"}


def minor_exponent(currency: str) -> int:
    """Decimal places of ``currency``'s minor unit (USD 2, JPY 0)."""
    from domain import Money

    return -int(Money.from_minor(1, currency).amount.as_tuple().exponent)


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


def erp_catalog(world: Any, stock: list[tuple[str, str, int]], *, exponent: int) -> dict[str, Any]:
    """The body of the mock ERP's ``POST /admin/erp/catalog``."""
    cat = world.catalog
    return {
        "items": [
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
        ],
        "locations": [
            {"code": sid, "displayName": name[:100]}
            for sid, name in zip(world.store_ids, world.store_names, strict=True)
        ],
        "customers": [WALK_IN_CUSTOMER]
        + [
            {"number": cid, "displayName": name[:100], "email": email[:80]}
            for cid, name, email in zip(
                world.customer_ids.to_pylist(),
                world.customer_names.to_pylist(),
                world.customer_emails.to_pylist(),
                strict=True,
            )
        ],
        "stock": [{"itemNumber": k, "locationCode": s, "quantity": q} for s, k, q in stock],
    }


def pos_counts(
    world: Any, scenario: Any, stock: list[tuple[str, str, int]]
) -> list[dict[str, Any]]:
    """The rows of the mock POS's ``POST /driver/v1/inventory``: each opening count a second
    before the scenario starts, with the item's name and price (it creates the catalogue)."""
    cat = world.catalog
    names = dict(zip(cat.sku_ids, cat.names, strict=True))
    prices = dict(zip(cat.sku_ids, cat.price_minor.tolist(), strict=True))
    opening = (scenario.start.replace(tzinfo=scenario.zone) - dt.timedelta(seconds=1)).isoformat()
    return [
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


def seed_mocks(
    servers: MockServers, *, scenario: Any, world: Any, run_dir: Path, exponent: int
) -> dict[str, int]:
    """Load both mocks of ``servers`` (only the POS when the ERP is a real one, which
    loads itself) with the world and the opening stock of ``run_dir``'s truth; returns
    counts of what was loaded."""
    del scenario, exponent  # the targets know their run's scenario and currency
    assert servers.pos is not None, "MockServers of launch_mocks carry their targets"
    stock = opening_stock(run_dir)
    seeded = servers.erp.seed(world, stock) if servers.erp is not None else {}
    return {**servers.pos.seed(world, stock), **seeded}
