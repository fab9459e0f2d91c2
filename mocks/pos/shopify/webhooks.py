"""Shopify webhook deliveries: the topic, the payload and the signed headers.

Each delivery carries ``X-Shopify-Hmac-Sha256`` = base64(HMAC-SHA256(app client secret,
raw body)), ``X-Shopify-Topic``, ``X-Shopify-Webhook-Id`` (the same on every retry and on
a duplicate of one delivery), ``X-Shopify-Event-Id``, ``X-Shopify-Triggered-At``,
``X-Shopify-Shop-Domain`` and ``X-Shopify-API-Version`` (Shopify, "Verify webhook
deliveries" and "Delivery structure"). Payloads are the REST-style JSON Shopify sends,
reduced to the fields the mock knows: ids (numeric-looking ids are the engine's),
``admin_graphql_api_id``, times, location and status.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa

from mocks.pos.engine.outbox import Due
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import orders
from mocks.pos.shopify.gid import gid
from mocks.pos.shopify.shapes import decimal, source_of

HMAC_HEADER = "X-Shopify-Hmac-Sha256"

TOPIC_OF = {
    "order.created": "orders/create",
    "order.updated": "orders/updated",
    "refund.created": "refunds/create",
    "inventory.count.updated": "inventory_levels/update",
    "catalog.version.updated": "products/update",
    "customer.created": "customers/create",
}
"""Engine event → Shopify webhook topic."""

Record = dict[str, Any]


def sign(secret: str, body: bytes) -> str:
    """The value of ``X-Shopify-Hmac-Sha256`` for `body`."""
    mac = hmac.new(secret.encode("utf-8"), body, hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def webhook_id(due: Due) -> str:
    """One id per (event, subscription): stable across retries and duplicates."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{due.event_id}/{due.subscription_id}"))


def _financial(state: str | None) -> str:
    return {"COMPLETED": "paid", "CANCELED": "voided"}.get(str(state), "pending")


def refund_ids(store: PosStore | None, refund: Record) -> tuple[str, str]:
    """(Refund id, Order id) of an engine refund as the GraphQL API shows them: a Refund is
    the return order its reason names (``"<kind> <txn id>"``), on the order it returns
    from (an unlinked return refunds itself)."""
    fallback = (str(refund.get("id")), str(refund.get("order_id")))
    reason = str(refund.get("reason") or "")
    if store is None or " " not in reason:
        return fallback
    txn = reason.split(" ", 1)[1]
    with store.db.connect() as conn:
        row = conn.execute(sa.select(orders.c.data).where(orders.c.source_txn_id == txn)).first()
    if row is None or not row.data.get("returns"):
        return fallback
    record = dict(row.data)
    return str(record["id"]), source_of(record) or str(record["id"])


def payload(event: Record, store: PosStore | None = None) -> Record:
    """The Shopify payload of one engine event (`store` resolves refunds to their orders)."""
    kind = event.get("type")
    obj = (event.get("data") or {}).get("object") or {}
    if kind in ("order.created", "order.updated"):
        order = obj.get("order_created") or obj.get("order_updated") or {}
        return {
            "id": order.get("order_id"),
            "admin_graphql_api_id": gid("Order", str(order.get("order_id"))),
            "created_at": order.get("created_at"),
            "updated_at": order.get("updated_at") or order.get("created_at"),
            "location_id": order.get("location_id"),
            "source_name": "pos",
            "financial_status": _financial(order.get("state")),
            "closed_at": order.get("updated_at") if order.get("state") == "COMPLETED" else None,
            "cancelled_at": order.get("updated_at") if order.get("state") == "CANCELED" else None,
        }
    if kind == "refund.created":
        refund = obj.get("refund") or {}
        money = refund.get("amount_money") or {}
        currency = money.get("currency") or "USD"
        refund_id, order_id = refund_ids(store, refund)
        return {
            "id": refund_id,
            "admin_graphql_api_id": gid("Refund", refund_id),
            "order_id": order_id,
            "created_at": refund.get("created_at"),
            "note": refund.get("reason"),
            "transactions": [
                {
                    "kind": "refund",
                    "status": "success",
                    "amount": decimal(int(money.get("amount") or 0), currency),
                    "currency": currency,
                }
            ],
        }
    if kind == "inventory.count.updated":
        counts = [c for c in obj.get("inventory_counts") or [] if c.get("state") == "IN_STOCK"]
        count = counts[0] if counts else (obj.get("inventory_counts") or [{}])[0]
        return {
            "inventory_item_id": count.get("catalog_object_id"),
            "location_id": count.get("location_id"),
            "available": int(float(count.get("quantity") or 0)),
            "updated_at": count.get("calculated_at"),
            "admin_graphql_api_id": gid(
                "InventoryLevel",
                f"{count.get('catalog_object_id')}?inventory_item_id={count.get('catalog_object_id')}"
                f"&location_id={count.get('location_id')}",
            ),
        }
    if kind == "customer.created":
        customer = obj.get("customer") or {}
        return {
            "id": customer.get("id"),
            "admin_graphql_api_id": gid("Customer", str(customer.get("id"))),
            "email": customer.get("email_address"),
            "first_name": customer.get("given_name"),
            "last_name": customer.get("family_name"),
            "created_at": customer.get("created_at"),
        }
    return {"updated_at": event.get("created_at"), "event": kind}


def body_renderer(store: Callable[[], PosStore | None]) -> Callable[[Due], bytes]:
    """The dialect's `WebhookBody`: the delivery body, reading the app's engine handle
    (`store()`) where a payload needs the database."""

    def render(due: Due) -> bytes:
        return orjson.dumps(payload(orjson.loads(due.body), store()))

    return render


def headers_for(shop_domain: str, api_version: str) -> Any:
    """The dialect's `WebhookHeaders` for one shop."""

    def headers(due: Due) -> dict[str, str]:
        return {
            HMAC_HEADER: sign(due.signature_key, due.body),
            "X-Shopify-Topic": TOPIC_OF.get(due.event_type, due.event_type),
            "X-Shopify-Webhook-Id": webhook_id(due),
            "X-Shopify-Event-Id": due.event_id,
            "X-Shopify-Triggered-At": datetime.fromtimestamp(due.first_at, UTC).isoformat(),
            "X-Shopify-Shop-Domain": shop_domain,
            "X-Shopify-API-Version": due.api_version or api_version,
            "User-Agent": "Shopify-Captain-Hook",
        }

    return headers
