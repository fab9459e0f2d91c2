"""Webhook deliveries from a real loopback server to a real receiver: Shopify's topics and
headers, the HMAC over the raw body with the app secret, and at-least-once duplicates that
keep their X-Shopify-Webhook-Id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

from mocks.pos.shopify import sign
from tests.mocks.pos.receiver_support import Receiver, running
from tests.mocks.pos.shopify.support import ADMIN, Shop, make_settings, sale, serve

SECRET = "shpss_test_secret"


def subscribe(shop: Shop, topic: str, url: str) -> None:
    answer = shop.graphql(
        "mutation($t: WebhookSubscriptionTopic!, $u: URL!) { webhookSubscriptionCreate(topic: $t, "
        "webhookSubscription: {callbackUrl: $u, format: JSON}) { webhookSubscription { id topic } "
        "userErrors { field message } } }",
        {"t": topic, "u": url},
    )
    created = answer["data"]["webhookSubscriptionCreate"]
    assert created["userErrors"] == [], created
    assert created["webhookSubscription"]["topic"] == topic


def test_sign_is_base64_hmac_sha256_of_the_raw_body() -> None:
    body = b'{"id":1}'
    expected = base64.b64encode(hmac.new(b"k", body, hashlib.sha256).digest()).decode()
    assert sign("k", body) == expected


def test_orders_and_refunds_are_delivered_signed_with_shopify_headers(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path, app_secret=SECRET)) as shop, running(Receiver()) as receiver:
        subscribe(shop, "ORDERS_CREATE", receiver.url)
        subscribe(shop, "REFUNDS_CREATE", receiver.url)
        again = shop.graphql(
            "mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, "
            f'webhookSubscription: {{callbackUrl: "{receiver.url}"}}) '
            "{ userErrors { message } } }"
        )
        assert again["data"]["webhookSubscriptionCreate"]["userErrors"][0]["message"].startswith(
            "Address"
        )
        shop.ingest(sale("T1"))
        shop.ingest(
            {
                "kind": "return",
                "txn_id": "R1",
                "store_id": "S1",
                "register_id": "R1",
                "completed_at": "2026-01-01T11:00:00Z",
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
                "tenders": [{"kind": "cash", "amount": 486}],  # no cash payment to refund to
            }
        )
        calls = receiver.wait_for(
            lambda c: (
                {h.get("x-shopify-topic") for h, _ in c} >= {"orders/create", "refunds/create"}
            )
        )
        refund_gid = next(
            json.loads(b)["admin_graphql_api_id"]
            for h, b in calls
            if h["x-shopify-topic"] == "refunds/create"
        )
        shown = shop.graphql(
            "query($i: ID!) { refund(id: $i) { return { name } order { name } } }",
            {"i": refund_gid},
        )["data"]["refund"]
        assert shown == {"return": {"name": "#R1"}, "order": {"name": "#T1"}}
    for headers, body in calls:
        assert headers["x-shopify-hmac-sha256"] == sign(SECRET, body)
        assert headers["x-shopify-webhook-id"]
        assert headers["x-shopify-event-id"]
        assert headers["x-shopify-shop-domain"] == "tillbench.myshopify.com"
        assert headers["x-shopify-api-version"] == "2025-07"
        assert headers["x-shopify-triggered-at"]
    orders = [json.loads(b) for h, b in calls if h["x-shopify-topic"] == "orders/create"]
    sold = next(o for o in orders if o["financial_status"] == "pending")
    assert sold["admin_graphql_api_id"] == f"gid://shopify/Order/{sold['id']}"
    assert sold["source_name"] == "pos"
    assert sold["location_id"] == "S1"
    refund = next(json.loads(b) for h, b in calls if h["x-shopify-topic"] == "refunds/create")
    assert refund["order_id"] == sold["id"]
    assert refund["transactions"][0]["amount"] == "4.86"
    assert refund["admin_graphql_api_id"] == refund_gid


def test_duplicate_fault_repeats_a_delivery_with_the_same_webhook_id(tmp_path: Path) -> None:
    with serve(make_settings(tmp_path)) as shop, running(Receiver()) as receiver:
        fault = shop.client.post(
            f"{shop.base}/admin/faults",
            json={"kind": "duplicate", "target": "pos.webhooks", "for": 60},
            headers=ADMIN,
        )
        assert fault.status_code in (200, 201), fault.text
        subscribe(shop, "ORDERS_CREATE", receiver.url)
        shop.ingest(sale("T1"), sale("T2"))
        calls = receiver.wait_for(lambda c: len(c) >= 4)
    ids = [h["x-shopify-webhook-id"] for h, _ in calls]
    assert len(ids) == 4
    assert len(set(ids)) == 2
    assert all(ids.count(i) == 2 for i in ids)
    bodies = {h["x-shopify-webhook-id"]: set() for h, _ in calls}
    for h, b in calls:
        bodies[h["x-shopify-webhook-id"]].add(b)
    assert all(len(v) == 1 for v in bodies.values())  # a duplicate carries the same bytes
