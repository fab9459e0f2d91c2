"""Benchmark of the mock POS: driver ingestion, webhook fan-out and Square API rates, and the
same engine under the Shopify Admin GraphQL dialect (orders query, inventory mutation), next
to the plain FastAPI in-memory POST baseline of `benchmarks.mock_servers` measured in the
same run.

    python -c "from benchmarks.pos_ingest import run; print(run(quick=True))"

Exposes `run(quick: bool = False) -> dict` like every `make bench` benchmark.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from mocks.core.process import MockProcess, free_port

TOKEN = "pos-bench-token"
ADMIN = "pos-bench-admin"
EVENTS = ["order.created", "order.updated", "payment.updated", "inventory.count.updated"]
RECEIVER = (
    "import sys, uvicorn\n"
    "async def app(scope, receive, send):\n"
    "    if scope['type'] != 'http':\n"
    "        return\n"
    "    while (await receive()).get('more_body'):\n"
    "        pass\n"
    "    await send({'type': 'http.response.start', 'status': 200, 'headers': []})\n"
    "    await send({'type': 'http.response.body', 'body': b'ok'})\n"
    "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[1]), log_level='warning')\n"
)


def sale(i: int, lines: int = 5) -> dict[str, Any]:
    """A card sale of `lines` lines as the driver sends it."""
    return {
        "kind": "sale",
        "txn_id": f"BENCH-{i:08d}",
        "store_id": f"S{i % 4}",
        "register_id": "R1",
        "completed_at": "2026-11-27T10:00:00Z",
        "lines": [
            {
                "line_no": n + 1,
                "sku": f"SKU{(i * 7 + n) % 500}",
                "quantity": "1",
                "unit_price": 250,
                "tax": 20,
                "tax_rate": "0.08",
            }
            for n in range(lines)
        ],
        "tenders": [{"kind": "card", "amount": lines * 270, "brand": "VISA", "last4": "1111"}],
    }


def _ingest(base: str, count: int, batch: int, offset: int) -> float:
    """Send `count` sales in batches; returns sales per second."""
    started = time.perf_counter()
    with httpx.Client(base_url=base, timeout=120) as http:
        for first in range(offset, offset + count, batch):
            body = {"transactions": [sale(i) for i in range(first, first + batch)]}
            response = http.post(
                "/driver/v1/transactions", json=body, headers={"Authorization": f"Bearer {ADMIN}"}
            )
            response.raise_for_status()
    return count / (time.perf_counter() - started)


def _drain(base: str, timeout: float) -> dict[str, int]:
    """Wait until no delivery is pending; returns the outbox counts."""
    deadline = time.monotonic() + timeout
    admin = {"Authorization": f"Bearer {ADMIN}"}
    state: dict[str, int] = {}
    while time.monotonic() < deadline:
        state = httpx.get(f"{base}/admin/pos/webhooks/outbox", headers=admin).json()["outbox"]
        if not state.get("PENDING"):
            break
        time.sleep(0.05)
    return state


def _load(
    port: int, path: str, body: str, duration: float, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    spec = {
        "port": port,
        "path": path,
        "body": body,
        "token": TOKEN,
        "headers": headers or {},
        "connections": 16,
        "duration": duration,
        "warmup": min(1.0, duration / 3),
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadgen", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def run(quick: bool = False) -> dict[str, Any]:
    """Measure the POS on SQLite, one worker; `quick` for a smoke run."""
    from benchmarks.mock_servers import INVOICE_BODY

    count = 500 if quick else 3000
    duration = 3.0 if quick else 8.0
    with MockProcess("benchmarks.mock_servers:plain_app", admin_token="bench-admin") as plain:
        baseline = _load(plain.port, "/invoices", INVOICE_BODY, duration)
    receiver_port = free_port()
    receiver = subprocess.Popen([sys.executable, "-c", RECEIVER, str(receiver_port)])
    try:
        with tempfile.TemporaryDirectory(prefix="tillbench-pos-bench-") as tmp:
            settings = {
                "db_url": f"sqlite:///{Path(tmp) / 'pos.sqlite3'}",
                "api_tokens": {TOKEN: "bench"},
                "admin_token": ADMIN,
                "payment_settle_seconds": 0,
            }
            with MockProcess("mocks.pos.square:create_app", settings=settings) as pos:
                plain_rate = _ingest(pos.base_url, count, 100, 0)
                api = {"Authorization": f"Bearer {TOKEN}"}
                httpx.post(
                    f"{pos.base_url}/v2/webhooks/subscriptions",
                    headers=api,
                    json={
                        "subscription": {
                            "event_types": EVENTS,
                            "notification_url": f"http://127.0.0.1:{receiver_port}/hooks",
                        }
                    },
                ).raise_for_status()
                started = time.perf_counter()
                hooked_rate = _ingest(pos.base_url, count, 100, count)
                outbox = _drain(pos.base_url, timeout=600)
                fanout = outbox.get("DELIVERED", 0) / (time.perf_counter() - started)
                search = _load(
                    pos.port,
                    "/v2/orders/search",
                    json.dumps({"location_ids": ["S1"], "limit": 20}),
                    duration,
                )
                create = _load(
                    pos.port,
                    "/v2/orders",
                    json.dumps(
                        {
                            "idempotency_key": "bench-@@N@@",
                            "order": {
                                "location_id": "S1",
                                "line_items": [
                                    {
                                        "name": "x",
                                        "quantity": "1",
                                        "base_price_money": {"amount": 100, "currency": "USD"},
                                    }
                                ],
                            },
                        }
                    ),
                    duration,
                )
        shopify = _shopify(count, duration)
    finally:
        receiver.terminate()
        receiver.wait(timeout=10)
    return {
        "benchmark": "mock POS (SQLite, 1 worker): driver ingestion, webhooks, Square API",
        "sales": count,
        "plain_fastapi_in_memory": baseline,
        "driver_five_line_sales_per_s": round(plain_rate, 1),
        "driver_five_line_sales_per_s_with_4_event_types_subscribed": round(hooked_rate, 1),
        "webhook_deliveries_per_s": round(fanout, 1),
        "webhook_outbox": outbox,
        "orders_search": search,
        "orders_create_idempotent": create,
        "ratio_create_order_to_plain": round(
            create["throughput_rps"] / max(baseline["throughput_rps"], 1e-9), 3
        ),
        "shopify": shopify,
        "ratio_shopify_order_query_to_square_search": round(
            shopify["graphql_orders_query"]["throughput_rps"] / max(search["throughput_rps"], 1e-9),
            3,
        ),
    }


SHOPIFY_ORDERS = (
    "{ orders(first: 20) { nodes { id name updatedAt totalPriceSet { shopMoney { amount } } "
    "lineItems(first: 10) { nodes { sku quantity } } } } }"
)
SHOPIFY_ADJUST = (
    'mutation { inventoryAdjustQuantities(input: {reason: "received", name: "available", '
    'changes: [{delta: 1, inventoryItemId: "ITEM", locationId: "gid://shopify/Location/S1"}]}) '
    '@idempotent(key: "bench-@@N@@") { userErrors { code } } }'
)


def _shopify(count: int, duration: float) -> dict[str, Any]:
    """The same engine under the Shopify Admin GraphQL dialect: driver ingestion, a page of
    20 orders with their lines (GraphQL) and an idempotent inventory mutation per request.
    The cost bucket is set wide open so the figures are the server's, not the plan's."""
    headers = {"X-Shopify-Access-Token": TOKEN}
    with tempfile.TemporaryDirectory(prefix="tillbench-shopify-bench-") as tmp:
        settings = {
            "db_url": f"sqlite:///{Path(tmp) / 'pos.sqlite3'}",
            "api_tokens": {TOKEN: "bench"},
            "admin_token": ADMIN,
            "payment_settle_seconds": 0,
            "bucket_size": 1e12,
            "restore_rate": 1e12,
        }
        with MockProcess("mocks.pos.shopify:create_app", settings=settings) as pos:
            ingest = _ingest(pos.base_url, count, 100, 0)
            endpoint = "/admin/api/2025-07/graphql.json"
            found = httpx.post(
                f"{pos.base_url}{endpoint}",
                headers=headers,
                json={
                    "query": '{ productVariants(first: 1, query: "sku:SKU1") '
                    "{ nodes { inventoryItem { id } } } }"
                },
            ).json()
            item = found["data"]["productVariants"]["nodes"][0]["inventoryItem"]["id"]
            query = _load(
                pos.port, endpoint, json.dumps({"query": SHOPIFY_ORDERS}), duration, headers
            )
            mutation = _load(
                pos.port,
                endpoint,
                json.dumps({"query": SHOPIFY_ADJUST.replace("ITEM", item)}),
                duration,
                headers,
            )
    return {
        "driver_five_line_sales_per_s": round(ingest, 1),
        "graphql_orders_query": query,
        "graphql_inventory_adjust_idempotent": mutation,
    }
