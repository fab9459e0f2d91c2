"""The Shopify adapter against the Shopify mock on a loopback server: webhook checks, a
sale and its return read as documents (realtime by id, batch since a cursor), the ERP →
POS sync written through GraphQL, and THROTTLED answers waited out by throttleStatus."""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest

from connectors.core.http import HttpApi
from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.pos.shopify import orders
from connectors.pos.shopify.adapter import ShopifyAdapter
from connectors.pos.shopify.catalogue import ShopifyCatalogue
from connectors.pos.shopify.client import ShopifyClient, wait_for
from mocks.pos.shopify import sign
from tests.mocks.pos.shopify.support import TOKEN, Shop, make_settings, sale, serve

SECRET = "shpss_adapter_test"


@pytest.fixture
def shop(tmp_path: Path) -> Iterator[Shop]:
    with serve(make_settings(tmp_path, app_secret=SECRET)) as running:
        yield running


@contextmanager
def adapter(shop: Shop) -> Iterator[ShopifyAdapter]:
    api = HttpApi(
        shop.base,
        TOKEN,
        name="pos",
        policy=RetryPolicy(attempts=2),
        timeout=5.0,
        rng=random.Random(1),
        metrics=Metrics(),
        stop=threading.Event(),
    )
    try:
        yield ShopifyAdapter(ShopifyClient(api, TOKEN), webhook_secret=SECRET)
    finally:
        api.close()


def returned(txn: str, original: str) -> dict[str, object]:
    return {
        "kind": "return",
        "txn_id": txn,
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
                "original_txn_id": original,
                "original_line_no": 1,
            }
        ],
        "tenders": [{"kind": "card", "amount": 486}],
    }


def test_webhooks_are_verified_and_read() -> None:
    pos = ShopifyAdapter(ShopifyClient(None, TOKEN), webhook_secret=SECRET)  # type: ignore[arg-type]
    body = json.dumps(
        {"id": "A1", "admin_graphql_api_id": "gid://shopify/Order/A1", "financial_status": "paid"}
    ).encode()
    assert pos.verify(body, {"x-shopify-hmac-sha256": sign(SECRET, body)})
    assert not pos.verify(body, {"x-shopify-hmac-sha256": sign("other", body)})
    assert not pos.verify(body + b" ", {"x-shopify-hmac-sha256": sign(SECRET, body)})
    event = pos.read_event(body)
    assert event is not None
    assert (event.type, event.object_id) == ("order", "gid://shopify/Order/A1")
    assert pos.read_event(body) == event  # a duplicate delivery has the same key
    refund = json.dumps(
        {
            "id": "F",
            "admin_graphql_api_id": "gid://shopify/Refund/F",
            "order_id": "A1",
            "transactions": [],
        }
    )
    pending = json.dumps(
        {"admin_graphql_api_id": "gid://shopify/Order/B", "financial_status": "pending"}
    )
    events = [
        ("e1", "order", "gid://shopify/Order/A1", body.decode()),
        ("e2", "refund", "gid://shopify/Refund/F", refund),
        ("e3", "order", "gid://shopify/Order/B", pending),
    ]
    # A1 and the refund F; B is not paid
    assert pos.order_ids(events) == ["gid://shopify/Order/A1", "gid://shopify/Refund/F"]


def test_a_sale_and_its_return_become_documents(shop: Shop) -> None:
    shop.ingest(sale("T1"))
    shop.ingest(returned("R1", "T1"))
    with adapter(shop) as pos:
        check_sale_and_return(pos)


def check_sale_and_return(pos: ShopifyAdapter) -> None:
    found = pos.completed_orders(None)
    assert [o.completed for o in found] == [True, True]
    readings = pos.documents(found)
    docs = {r.document.reference: r.document for r in readings if r.document}
    assert set(docs) == {"T1", "R1"}
    sold, back = docs["T1"], docs["R1"]
    assert (sold.store_id, sold.is_return, sold.total) == ("S1", False, 972)
    line = sold.lines[0]
    assert (line.sku, line.quantity, line.unit_price, line.discount, line.tax) == (
        "SKU1",
        Decimal(2),
        500,
        100,
        72,
    )
    assert line.nominal_tax_percent == Decimal(8)
    assert [(p.method, p.amount) for p in sold.payments] == [("card", 972)]
    assert (back.is_return, back.total, back.store_id) == (True, 486, "S1")
    assert [(x.sku, x.quantity, x.discount, x.tax) for x in back.lines] == [
        ("SKU1", Decimal(1), 50, 36)
    ]
    by_id = pos.orders([found[0].id])
    assert {o.id for o in by_id} == {o.id for o in found}  # an order brings its refunds
    alone = pos.orders([found[1].id])  # a refund read on its own
    assert pos.documents(alone)[0].document == back
    requests = pos.client.api.metrics.snapshot().get("pos_requests", 0)
    again = pos.completed_orders(None)  # listed again, unchanged: not read again
    assert [o.id for o in again] == [o.id for o in found]
    assert pos.client.api.metrics.snapshot().get("pos_requests", 0) == requests + 1
    later = pos.completed_orders("2100-01-01T00:00:00Z")
    assert later == []


def test_the_erp_sync_writes_prices_items_customers_and_stock(shop: Shop) -> None:
    shop.count("S1", "SKU1", "10")
    with adapter(shop) as pos:
        check_sync(shop, pos.catalogue)


def check_sync(shop: Shop, catalogue: ShopifyCatalogue) -> None:
    written = catalogue.write_prices(
        [
            CatalogueItem("SKU1", "Thing", Decimal("4.99"), "2026-01-01"),
            CatalogueItem("NEW", "New thing", Decimal("2.50"), "2026-01-01"),
        ]
    )
    assert written == 2
    prices = {sku: v["price"] for sku, v in catalogue.variants().items()}
    assert prices == {"SKU1": "4.99", "NEW": "2.50"}
    assert catalogue.write_prices([CatalogueItem("SKU1", "Thing", Decimal("4.99"), "x")]) == 0
    catalogue.create_customer(CustomerRecord("c1", "C0001", "Ann Lee", "Ann@Example.com", "x"))
    catalogue.create_customer(CustomerRecord("c1", "C0001", "Ann Lee", "Ann@Example.com", "x"))
    assert catalogue.customer_emails() == {"ann@example.com"}
    moves = [
        ErpStockMove("m1", "SKU1", "S1", Decimal(5)),
        ErpStockMove("m2", "SKU1", "S1", Decimal(-2)),
        ErpStockMove("m3", "UNKNOWN", "S1", Decimal(1)),
    ]
    payloads, carried = catalogue.stock_receipts(moves)
    assert carried == ["m1", "m2"]
    for payload in payloads * 2:  # a resend moves nothing twice
        catalogue.send_stock_receipt(payload)
    level = shop.graphql(
        '{ productVariants(first: 1, query: "sku:SKU1") { nodes { inventoryItem { '
        'inventoryLevel(locationId: "gid://shopify/Location/S1") { '
        'quantities(names: ["available"]) { quantity } } } } } }'
    )["data"]["productVariants"]["nodes"][0]["inventoryItem"]["inventoryLevel"]
    assert level["quantities"][0]["quantity"] == 13


def test_throttled_queries_wait_for_the_bucket(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, bucket_size=15, restore_rate=20)
    with serve(settings, wall_clock=True) as shop, adapter(shop) as pos:
        for _ in range(4):  # 12 requested and 2 used: the third waits for the bucket
            assert pos.client.query("{ orders(first: 10) { nodes { id } } }")["orders"]
        assert pos.client.throttled > 0
    answer = {
        "extensions": {
            "cost": {
                "requestedQueryCost": 102,
                "throttleStatus": {"currentlyAvailable": 2.0, "restoreRate": 50.0},
            }
        }
    }
    assert wait_for(answer) == 2.0


def long_sale(txn: str, lines: int) -> dict[str, object]:
    """A cash sale of `lines` lines (one unit of 1.00 each)."""
    return {
        **sale(txn),
        "lines": [
            {
                "line_no": n,
                "sku": f"SKU{n}",
                "name": f"Item {n}",
                "quantity": "1",
                "unit_price": 100,
            }
            for n in range(1, lines + 1)
        ],
        "tenders": [{"kind": "cash", "amount": 100 * lines}],
    }


def long_return(txn: str, original: str, lines: int) -> dict[str, object]:
    """A cash return of the first `lines` lines of `original` (a `long_sale`)."""
    return {
        **returned(txn, original),
        "lines": [
            {
                "line_no": n,
                "sku": f"SKU{n}",
                "name": f"Item {n}",
                "quantity": "1",
                "unit_price": 100,
                "original_txn_id": original,
                "original_line_no": n,
            }
            for n in range(1, lines + 1)
        ],
        "tenders": [{"kind": "cash", "amount": 100 * lines}],
    }


def test_orders_are_read_by_nodes_in_batches_in_the_order_asked(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path, plan="plus"), wall_clock=True) as shop:
        check_batches(shop)


def check_batches(shop: Shop) -> None:
    shop.ingest(*(sale(f"T{n:02}") for n in range(9)))
    shop.ingest(long_sale("L1", orders.BATCH_LINES + 25))  # a second page of line items
    shop.ingest(long_return("RL", "L1", orders.BATCH_REFUND_LINES + 2))  # read again alone
    listed = shop.graphql("{ orders(first: 20) { nodes { id name refunds { id } } } }")
    ids = {o["name"].lstrip("#"): o["id"] for o in listed["data"]["orders"]["nodes"]}
    refund_id = next(r["id"] for o in listed["data"]["orders"]["nodes"] for r in o["refunds"])
    asked = [ids["T08"], refund_id, "gid://shopify/Order/none", ids["L1"]]
    asked += [ids[f"T{n:02}"] for n in range(8)]
    with adapter(shop) as pos:
        found = pos.orders([*asked, ids["T03"]])  # a repeated id is read once
        requests = pos.client.api.metrics.snapshot().get("pos_requests", 0)
    # 11 order ids in three nodes queries (5, 5, 1), the refund in a fourth; one more page of
    # L1's lines; the long refund read again twice (on its own, and as L1's)
    assert requests == 3 + 1 + 1 + 2
    assert [o.id for o in found] == [
        ids["T08"],
        refund_id,
        ids["L1"],
        refund_id,
        *(ids[f"T{n:02}"] for n in range(8)),
    ]
    docs = [r.document for r in pos.documents(found)]
    assert all(d is not None for d in docs)
    long_doc, alone, within = docs[2], docs[1], docs[3]
    assert long_doc is not None
    assert len(long_doc.lines) == orders.BATCH_LINES + 25
    assert long_doc.total == 100 * (orders.BATCH_LINES + 25)
    assert alone == within
    assert alone is not None
    assert [x.sku for x in alone.lines] == [
        f"SKU{n}" for n in range(1, orders.BATCH_REFUND_LINES + 3)
    ]


def test_a_full_nodes_batch_stays_under_the_single_query_cap(shop: Shop) -> None:
    fake = [f"gid://shopify/Order/x{n}" for n in range(orders.BATCH)]
    answer = shop.graphql(orders.ORDER_NODES, {"ids": fake})
    assert "errors" not in answer
    assert 900 <= answer["extensions"]["cost"]["requestedQueryCost"] <= 1000
    refunds = [f"gid://shopify/Refund/x{n}" for n in range(orders.REFUND_BATCH)]
    answer = shop.graphql(orders.REFUND_NODES, {"ids": refunds})
    assert "errors" not in answer
    assert 900 <= answer["extensions"]["cost"]["requestedQueryCost"] <= 1000
    # one more id of either kind would go over it
    over = shop.graphql(orders.ORDER_NODES, {"ids": [*fake, "gid://shopify/Order/y"]})
    assert over["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"


def test_concurrent_nodes_reads_wait_out_throttled_answers(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, bucket_size=1000, restore_rate=1000)
    with serve(settings, wall_clock=True) as shop, adapter(shop) as pos:
        shop.ingest(*(sale(f"T{n:02}") for n in range(20)))
        listed = shop.graphql("{ orders(first: 20) { nodes { id } } }")
        ids = [o["id"] for o in listed["data"]["orders"]["nodes"]]
        # four queries of 900 requested points at once: one bucket of 1,000 admits one
        found = pos.orders(ids)
        assert pos.client.throttled > 0
    assert [o.id for o in found] == ids


def test_sync_writes_leave_the_bucket_share_they_keep(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, bucket_size=100, restore_rate=100)
    with serve(settings, wall_clock=True) as shop, adapter(shop) as pos:
        client = pos.client
        assert client.room_wait(0.5) == 0.0  # nothing seen yet: no wait
        lowest = 100.0
        for _ in range(12):  # 10 points each: 120 points from a bucket of 100
            client.query(NO_OP, keep=0.6)
            lowest = min(lowest, client.room_status()[0])
        assert client.throttled == 0
        assert lowest >= 0.6 * 100 - 10  # never below the kept share less one write
        client.query(NO_OP)  # without keep: sent at once
        # a full bucket is then at most (100 − (lowest − 10)) / 100 s away
        assert 0.0 < client.room_wait(1.0) <= (100 - (lowest - 10)) / 100


NO_OP = (
    'mutation { webhookSubscriptionDelete(id: "gid://shopify/WebhookSubscription/none") '
    "{ userErrors { message } } }"
)
