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
import json
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq

if TYPE_CHECKING:
    from tillbench.live.mocks import MockServers

__all__ = [
    "SEED_BODY_BYTES",
    "WALK_IN_CUSTOMER",
    "chunks_by_size",
    "erp_catalog",
    "erp_catalog_chunks",
    "minor_exponent",
    "opening_stock",
    "pos_counts",
    "seed_mocks",
]

WALK_IN_CUSTOMER = {"number": "RETAIL", "displayName": "Retail walk-in customer"}

SEED_BODY_BYTES = 512 * 1024
"""Most bytes of one seeding request's JSON body: half the mocks' smallest body limit
(1 MiB, ``mocks.core.settings``), so a chain of any size seeds in requests every mock takes."""


def chunks_by_size(
    rows: Sequence[dict[str, Any]], *, budget: int = SEED_BODY_BYTES, overhead: int = 64
) -> Iterator[list[dict[str, Any]]]:
    """``rows`` in consecutive runs whose JSON array (plus ``overhead`` bytes of envelope)
    stays within ``budget`` bytes; a single row larger than that goes out alone."""
    chunk: list[dict[str, Any]] = []
    size = overhead
    for row in rows:
        width = len(json.dumps(row, separators=(",", ":")).encode()) + 2
        if chunk and size + width > budget:
            yield chunk
            chunk, size = [], overhead
        chunk.append(row)
        size += width
    if chunk:
        yield chunk


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


ERP_CATALOG_KEYS = ("items", "locations", "customers", "stock")
"""In the order the ERP needs them: stock names items and locations."""


def erp_catalog_chunks(
    body: dict[str, Any], *, budget: int = SEED_BODY_BYTES
) -> Iterator[dict[str, Any]]:
    """`erp_catalog`'s body as several ``/admin/erp/catalog`` bodies within ``budget``
    bytes each (the door upserts, so the parts add up to the whole): items, then locations,
    customers and stock, each list in runs (`chunks_by_size`)."""
    for key in ERP_CATALOG_KEYS:
        for part in chunks_by_size(body.get(key) or [], budget=budget):
            yield {key: part}


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
