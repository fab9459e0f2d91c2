"""The Shopify target against the Shopify mock on loopback: the webhook subscriptions, the
sampler's stock and price reads and the end state as run tables (orders and refunds,
catalogue, customers), all through GraphQL with the harness's token."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pandas as pd

from tests.mocks.pos.shopify.support import TOKEN, make_settings, sale, serve
from tillbench.live.targets.shopify.collect import collect_tables
from tillbench.live.targets.shopify.reads import ShopifyReads
from tillbench.live.targets.shopify.subscription import TOPICS, create_subscriptions


def test_reads_subscriptions_and_collection(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path), wall_clock=True) as shop:
        shop.count("S1", "SKU1", "10")
        shop.ingest(sale("T1"))
        shop.ingest(
            {
                "kind": "return",
                "txn_id": "R1",
                "store_id": "S1",
                "register_id": "R1",
                "completed_at": "2026-01-01T12:00:00Z",
                "lines": [
                    {
                        "line_no": 1,
                        "sku": "SKU1",
                        "name": "Thing",
                        "quantity": "1",
                        "unit_price": 500,
                        "discount": 50,
                        "tax": 36,
                        "tax_rate": "0.08",
                        "original_txn_id": "T1",
                        "original_line_no": 1,
                    }
                ],
                "tenders": [{"kind": "card", "amount": 486}],
            }
        )
        create_subscriptions(shop.base, token=TOKEN, notification_url="http://127.0.0.1:9/hook")
        reads = ShopifyReads(shop.base, token=TOKEN)

        async def sample() -> tuple[object, object]:
            async with httpx.AsyncClient() as client:
                return await reads.stock(client, ["S1"]), await reads.prices(client)

        stock, prices = asyncio.run(sample())
        assert stock == {("S1", "SKU1"): 9.0}  # 10 counted, 2 sold, 1 back
        assert prices == {"SKU1": 0}
        counts = collect_tables(tmp_path / "run", pos_url=shop.base, token=TOKEN, stores=["S1"])
    assert counts == {"pos/orders": 2, "pos/catalog": 1, "pos/customers": 0}
    orders = pd.read_parquet(tmp_path / "run" / "pos" / "orders.parquet")
    rows = {r.reference_id: r for r in orders.itertuples()}
    assert set(rows) == {"T1", "R1"}
    assert (rows["T1"].total_minor, rows["T1"].tax_minor, rows["T1"].state) == (
        972,
        72,
        "COMPLETED",
    )
    assert (rows["R1"].total_minor, rows["R1"].tax_minor, rows["R1"].location_id) == (486, 36, "S1")
    assert len(TOPICS) == 3


def test_unreadable_pos_reads_as_none() -> None:
    reads = ShopifyReads("http://127.0.0.1:9", token=TOKEN)

    async def sample() -> tuple[object, object]:
        async with httpx.AsyncClient() as client:
            return await reads.stock(client, ["S1"]), await reads.prices(client)

    assert asyncio.run(sample()) == (None, None)
