"""Webhook events into the transactional outbox.

`emit` writes the event and one outbox row per enabled subscription that asked for its
type, in the caller's transaction: an acknowledged change always has its events queued
(at-least-once), and a rolled-back one has none.
"""

from __future__ import annotations

from typing import Any

import orjson
import sqlalchemy as sa

from mocks.pos.engine.ids import new_id
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import webhook_events, webhook_outbox, webhook_subscriptions
from mocks.pos.engine.timestamps import fmt
from mocks.pos.engine.txcache import tx_cache

EVENT_TYPES = (
    "order.created",
    "order.updated",
    "payment.created",
    "payment.updated",
    "refund.created",
    "refund.updated",
    "inventory.count.updated",
    "catalog.version.updated",
    "customer.created",
)


def emit(
    conn: sa.Connection,
    store: PosStore,
    *,
    event_type: str,
    data_type: str,
    object_id: str | None,
    obj: dict[str, Any],
) -> str | None:
    """Queue `event_type` for its subscribers; returns the event id (None if nobody listens)."""
    cache = tx_cache(conn)
    if "subscriptions" not in cache:
        cache["subscriptions"] = [
            (row.id, set(row.data.get("event_types") or []))
            for row in conn.execute(
                sa.select(webhook_subscriptions.c.id, webhook_subscriptions.c.data).where(
                    webhook_subscriptions.c.enabled.is_(True)
                )
            )
        ]
    subscribers = [sub_id for sub_id, types in cache["subscriptions"] if event_type in types]
    if not subscribers:
        return None
    now = store.clock()
    event_id = new_id().lower()
    data: dict[str, Any] = {"type": data_type, "object": obj}
    if object_id is not None:
        data["id"] = object_id
    body = {
        "merchant_id": store.settings.merchant_id,
        "type": event_type,
        "event_id": event_id,
        "created_at": fmt(now),
        "data": data,
    }
    conn.execute(
        webhook_events.insert().values(
            event_id=event_id,
            type=event_type,
            created_at=fmt(now),
            body=orjson.dumps(body).decode("utf-8"),
        )
    )
    stamp = now.timestamp()
    conn.execute(
        webhook_outbox.insert(),
        [
            {
                "event_id": event_id,
                "subscription_id": sub_id,
                "status": "PENDING",
                "attempts": 0,
                "first_at": stamp,
                "next_at": stamp,
                "lease_until": 0.0,
            }
            for sub_id in subscribers
        ],
    )
    return event_id


def emit_record(
    conn: sa.Connection, store: PosStore, event_type: str, data_type: str, record: dict[str, Any]
) -> str | None:
    """`emit` for the common shape: ``data.type`` names the object, which is ``record``."""
    return emit(
        conn,
        store,
        event_type=event_type,
        data_type=data_type,
        object_id=record["id"],
        obj={data_type: record},
    )
