"""Webhook subscriptions: which URL gets which event types, signed with which key."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.errors import InvalidRequest, NotFound, missing
from mocks.pos.engine.events import EVENT_TYPES
from mocks.pos.engine.ids import new_id, new_secret
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import webhook_subscriptions
from mocks.pos.engine.timestamps import fmt
from mocks.pos.engine.txcache import forget

Record = dict[str, Any]
API_VERSION = "2025-08-20"


def _validate(fields: Record) -> None:
    url = fields.get("notification_url")
    if not url:
        raise missing("subscription.notification_url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise InvalidRequest(
            f"notification_url must be an http(s) URL, got {url!r}",
            field="subscription.notification_url",
        )
    types = fields.get("event_types")
    if not types:
        raise missing("subscription.event_types")
    for i, event_type in enumerate(types):
        if event_type not in EVENT_TYPES:
            raise InvalidRequest(
                f"unknown event type {event_type!r}; this POS emits {', '.join(EVENT_TYPES)}",
                field=f"subscription.event_types[{i}]",
                code="INVALID_ENUM_VALUE",
            )


def create_subscription(conn: sa.Connection, store: PosStore, fields: Record) -> Record:
    """Create a subscription with a fresh signature key."""
    _validate(fields)
    now = fmt(store.clock())
    record = {
        "id": f"wbhk_{new_id()[:20].lower()}",
        "name": fields.get("name") or "",
        "enabled": fields.get("enabled", True) is not False,
        "event_types": list(dict.fromkeys(fields["event_types"])),
        "notification_url": fields["notification_url"],
        "api_version": fields.get("api_version") or API_VERSION,
        "signature_key": new_secret(),
        "created_at": now,
        "updated_at": now,
    }
    forget(conn, "subscriptions")
    conn.execute(
        webhook_subscriptions.insert().values(
            id=record["id"], enabled=record["enabled"], created_at=now, data=record
        )
    )
    return record


def get_subscription(conn: sa.Connection, subscription_id: str) -> Record:
    """One subscription or NotFound."""
    row = conn.execute(
        sa.select(webhook_subscriptions.c.data).where(webhook_subscriptions.c.id == subscription_id)
    ).first()
    if row is None:
        raise NotFound(f"subscription {subscription_id!r} does not exist", field="subscription_id")
    return dict(row.data)


def update_subscription(
    conn: sa.Connection, store: PosStore, subscription_id: str, fields: Record
) -> Record:
    """Change name, enabled, event types or URL of a subscription."""
    record = get_subscription(conn, subscription_id)
    for key in ("name", "enabled", "event_types", "notification_url"):
        if fields.get(key) is not None:
            record[key] = fields[key]
    _validate(record)
    record["updated_at"] = fmt(store.clock())
    forget(conn, "subscriptions")
    conn.execute(
        webhook_subscriptions.update()
        .where(webhook_subscriptions.c.id == subscription_id)
        .values(enabled=bool(record["enabled"]), data=record)
    )
    return record


def delete_subscription(conn: sa.Connection, subscription_id: str) -> None:
    """Delete a subscription (its queued deliveries are dropped by the dispatcher)."""
    get_subscription(conn, subscription_id)
    conn.execute(
        webhook_subscriptions.delete().where(webhook_subscriptions.c.id == subscription_id)
    )


def list_subscriptions(
    conn: sa.Connection, *, include_disabled: bool, after: tuple[str, str] | None, limit: int
) -> list[Record]:
    """A page of subscriptions, oldest first."""
    c = webhook_subscriptions.c
    query = sa.select(c.data)
    if not include_disabled:
        query = query.where(c.enabled.is_(True))
    if after is not None:
        query = query.where(sa.tuple_(c.created_at, c.id) > sa.tuple_(*after))
    rows = conn.execute(query.order_by(c.created_at, c.id).limit(limit))
    return [dict(r.data) for r in rows]
