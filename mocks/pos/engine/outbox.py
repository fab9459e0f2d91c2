"""The webhook outbox seen from the dispatcher: claim due deliveries, record outcomes.

Claims are leases (`lease_until`), taken with a compare-and-set update, so several workers
sharing one database never send the same attempt twice; a worker that dies mid-delivery
lets its lease lapse and another one retries (at-least-once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import (
    webhook_deliveries,
    webhook_events,
    webhook_outbox,
    webhook_subscriptions,
)


@dataclass(frozen=True, kw_only=True)
class Due:
    """One claimed delivery: what to send where, and its history."""

    outbox_id: int
    event_id: str
    event_type: str
    subscription_id: str
    url: str
    signature_key: str
    api_version: str
    body: bytes
    attempts: int
    first_at: float
    fault: str | None


def claim(store: PosStore, *, lease_seconds: float, limit: int) -> list[Due]:
    """Lease up to `limit` deliveries that are due now."""
    now = store.clock().timestamp()
    o = webhook_outbox.c
    claimed: list[Due] = []
    with store.db.begin() as conn:
        rows = conn.execute(
            sa.select(o.id)
            .where(o.status == "PENDING", o.next_at <= now, o.lease_until < now)
            .order_by(o.next_at, o.id)
            .limit(limit)
        ).all()
        for row in rows:
            taken = conn.execute(
                webhook_outbox.update()
                .where(o.id == row.id, o.status == "PENDING", o.lease_until < now)
                .values(lease_until=now + lease_seconds)
            )
            if taken.rowcount != 1:
                continue
            item = conn.execute(
                sa.select(
                    o.id,
                    o.event_id,
                    o.subscription_id,
                    o.attempts,
                    o.first_at,
                    o.fault,
                    webhook_events.c.type,
                    webhook_events.c.body,
                    webhook_subscriptions.c.data,
                    webhook_subscriptions.c.enabled,
                )
                .join(webhook_events, webhook_events.c.event_id == o.event_id)
                .outerjoin(webhook_subscriptions, webhook_subscriptions.c.id == o.subscription_id)
                .where(o.id == row.id)
            ).one()
            if item.data is None or not item.enabled:
                conn.execute(
                    webhook_outbox.update().where(o.id == row.id).values(status="CANCELLED")
                )
                continue
            claimed.append(
                Due(
                    outbox_id=item.id,
                    event_id=item.event_id,
                    event_type=item.type,
                    subscription_id=item.subscription_id,
                    url=item.data["notification_url"],
                    signature_key=item.data["signature_key"],
                    api_version=item.data.get("api_version") or "",
                    body=item.body.encode("utf-8"),
                    attempts=item.attempts,
                    first_at=item.first_at,
                    fault=item.fault,
                )
            )
    return claimed


def defer(conn: sa.Connection, due: Due, *, fault: str, until: float) -> None:
    """Hold a delivery back until `until` (delay/reorder fault) without counting an attempt."""
    conn.execute(
        webhook_outbox.update()
        .where(webhook_outbox.c.id == due.outbox_id)
        .values(fault=fault, next_at=until, lease_until=0.0)
    )


def log_attempts(conn: sa.Connection, rows: list[dict[str, Any]]) -> None:
    """Append lines to the delivery log (keys: outbox_id, event_id, event_type,
    subscription_id, attempt, sent_at, outcome, status_code, latency_ms, error)."""
    if rows:
        conn.execute(webhook_deliveries.insert(), rows)


def attempt_row(
    due: Due,
    *,
    attempt: int,
    sent_at: str,
    outcome: str,
    status_code: int | None = None,
    latency_ms: float | None = None,
    error: str | None = None,
) -> dict[str, Any]:
    """One delivery-log line for `due`."""
    return {
        "outbox_id": due.outbox_id,
        "event_id": due.event_id,
        "event_type": due.event_type,
        "subscription_id": due.subscription_id,
        "attempt": attempt,
        "sent_at": sent_at,
        "outcome": outcome,
        "status_code": status_code,
        "latency_ms": latency_ms,
        "error": error,
    }


def finish(
    conn: sa.Connection,
    due: Due,
    *,
    status: str,
    next_at: float | None,
    fault: str | None,
    last_status: int | None,
    last_error: str | None,
) -> None:
    """Record the outcome of an attempt: DELIVERED, DROPPED, FAILED or PENDING (retry)."""
    conn.execute(
        webhook_outbox.update()
        .where(webhook_outbox.c.id == due.outbox_id)
        .values(
            status=status,
            attempts=due.attempts + 1,
            next_at=next_at if next_at is not None else webhook_outbox.c.next_at,
            lease_until=0.0,
            fault=fault,
            last_status=last_status,
            last_error=last_error,
        )
    )


def delivery_log(
    store: PosStore, *, limit: int = 10_000, after_id: int = 0
) -> list[dict[str, Any]]:
    """The delivery log as flat rows (one per attempt), oldest first."""
    d = webhook_deliveries.c
    with store.db.connect() as conn:
        rows = conn.execute(
            sa.select(webhook_deliveries).where(d.id > after_id).order_by(d.id).limit(limit)
        )
        return [{str(k): v for k, v in r._mapping.items()} for r in rows]


def outbox_state(store: PosStore) -> dict[str, int]:
    """How many outbox rows are in each status."""
    o = webhook_outbox.c
    with store.db.connect() as conn:
        rows = conn.execute(sa.select(o.status, sa.func.count()).group_by(o.status))
        return {str(r[0]): int(r[1]) for r in rows}
