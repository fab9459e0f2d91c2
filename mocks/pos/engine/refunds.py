"""Refunds: PENDING → COMPLETED or FAILED; only completed payments, up to what was collected.

Pending refunds count against the refundable amount, so two concurrent refunds cannot
together exceed the payment. Whether a refund fails is decided from its id and
`refund_failure_rate`, so a run is reproducible.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine import payments as payment_engine
from mocks.pos.engine.errors import InvalidRequest, NotFound, RefundRejected
from mocks.pos.engine.events import emit_record
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.pricing import money
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import payments, refunds
from mocks.pos.engine.timestamps import fmt

Record = dict[str, Any]


def refundable(conn: sa.Connection, payment_id: str) -> int:
    """Amount of the payment not yet refunded or pending refund."""
    row = conn.execute(sa.select(payments.c.amount).where(payments.c.id == payment_id)).one()
    taken = conn.execute(
        sa.select(sa.func.coalesce(sa.func.sum(refunds.c.amount), 0)).where(
            refunds.c.payment_id == payment_id, refunds.c.status.in_(("PENDING", "COMPLETED"))
        )
    ).scalar_one()
    return int(row.amount) - int(taken)


def create_refund(
    conn: sa.Connection,
    store: PosStore,
    *,
    payment_id: str | None,
    amount: int,
    currency: str,
    reason: str | None,
    location_id: str | None = None,
    order_id: str | None = None,
    destination_type: str | None = None,
    status: str = "PENDING",
    at: datetime | None = None,
    refund_id: str | None = None,
) -> Record:
    """Refund `amount` of a completed payment (or an unlinked refund when payment_id is None)."""
    if amount <= 0:
        raise InvalidRequest(
            f"a refund must be > 0, got {amount}", field="amount_money.amount", code="VALUE_TOO_LOW"
        )
    payment: Record | None = None
    if payment_id is not None:
        payment = payment_engine.get_payment(conn, payment_id)
        conn.execute(payments.update().where(payments.c.id == payment_id).values(id=payments.c.id))
        if payment["status"] != "COMPLETED":
            raise RefundRejected(
                f"payment {payment_id!r} is {payment['status']}; only COMPLETED payments can "
                "be refunded",
                field="payment_id",
                code="PAYMENT_NOT_REFUNDABLE",
            )
        if payment["amount_money"]["currency"] != currency:
            raise RefundRejected(
                f"refund currency {currency} differs from the payment's "
                f"{payment['amount_money']['currency']}",
                field="amount_money.currency",
                code="CURRENCY_MISMATCH",
            )
        available = refundable(conn, payment_id)
        if amount > available:
            raise RefundRejected(
                f"refund of {amount} exceeds the {available} still refundable on payment "
                f"{payment_id!r}",
                field="amount_money.amount",
                code="REFUND_AMOUNT_INVALID",
            )
        location_id = payment["location_id"]
        order_id = payment.get("order_id")
        destination_type = destination_type or payment.get("source_type", "CARD")
    now = store.clock()
    stamp = fmt(at or now)
    record: Record = {
        "id": refund_id or new_id(),
        "status": status,
        "location_id": location_id,
        "amount_money": money(amount, currency),
        "destination_type": destination_type or "CASH",
        "created_at": stamp,
        "updated_at": stamp,
        "unlinked": payment is None,
    }
    for key, value in (("payment_id", payment_id), ("order_id", order_id), ("reason", reason)):
        if value is not None:
            record[key] = value
    settle_at = (
        now.timestamp() + store.settings.refund_settle_seconds if status == "PENDING" else None
    )
    conn.execute(
        refunds.insert().values(
            id=record["id"],
            payment_id=payment_id,
            order_id=order_id,
            location_id=location_id or "",
            status=status,
            amount=amount,
            currency=currency,
            created_at=stamp,
            updated_at=stamp,
            settle_at=settle_at,
            data=record,
        )
    )
    _event(conn, store, record, "refund.created")
    if payment is not None:
        payment["refund_ids"] = [*payment.get("refund_ids", []), record["id"]]
        payment_engine.write(conn, store, payment)
    if status == "COMPLETED":
        _event(conn, store, record, "refund.updated")
        _complete(conn, store, record)
    return record


def _event(conn: sa.Connection, store: PosStore, record: Record, event_type: str) -> None:
    emit_record(conn, store, event_type, "refund", record)


def _complete(conn: sa.Connection, store: PosStore, record: Record) -> None:
    payment_id = record.get("payment_id")
    if payment_id is None:
        return
    payment = payment_engine.get_payment(conn, payment_id)
    refunded = int((payment.get("refunded_money") or {}).get("amount", 0)) + int(
        record["amount_money"]["amount"]
    )
    payment["refunded_money"] = money(refunded, record["amount_money"]["currency"])
    payment_engine.write(conn, store, payment, refunded=refunded)


def fails(store: PosStore, refund_id: str) -> bool:
    """Whether this refund ends FAILED, decided by its id and the configured rate."""
    rate = store.settings.refund_failure_rate
    digest = hashlib.sha256(f"{store.settings.seed}:{refund_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < rate


def settle_due_refunds(conn: sa.Connection, store: PosStore, *, limit: int = 200) -> int:
    """Move PENDING refunds whose time has come to COMPLETED or FAILED; returns how many."""
    now = store.clock().timestamp()
    rows = conn.execute(
        sa.select(refunds.c.id)
        .where(refunds.c.status == "PENDING", refunds.c.settle_at <= now)
        .order_by(refunds.c.settle_at)
        .limit(limit)
    ).all()
    settled = 0
    for row in rows:
        outcome = "FAILED" if fails(store, row.id) else "COMPLETED"
        claimed = conn.execute(
            refunds.update()
            .where(refunds.c.id == row.id, refunds.c.status == "PENDING")
            .values(status=outcome, settle_at=None)
        )
        if claimed.rowcount != 1:
            continue
        record = get_refund(conn, row.id)
        record["status"] = outcome
        record["updated_at"] = fmt(store.clock())
        conn.execute(
            refunds.update()
            .where(refunds.c.id == row.id)
            .values(data=record, updated_at=record["updated_at"])
        )
        _event(conn, store, record, "refund.updated")
        if outcome == "COMPLETED":
            _complete(conn, store, record)
        settled += 1
    return settled


def get_refund(conn: sa.Connection, refund_id: str) -> Record:
    """One refund or NotFound."""
    row = conn.execute(sa.select(refunds.c.data).where(refunds.c.id == refund_id)).first()
    if row is None:
        raise NotFound(f"refund {refund_id!r} does not exist", field="refund_id")
    return dict(row.data)


def page(
    conn: sa.Connection,
    *,
    location_id: str | None,
    status: str | None,
    descending: bool,
    after: tuple[str, str] | None,
    limit: int,
) -> list[Record]:
    """A page of refunds in created_at order."""
    c = refunds.c
    query = sa.select(c.data)
    if location_id:
        query = query.where(c.location_id == location_id)
    if status:
        query = query.where(c.status == status)
    if after is not None:
        key = sa.tuple_(c.created_at, c.id)
        query = query.where(key < sa.tuple_(*after) if descending else key > sa.tuple_(*after))
    order = (c.created_at.desc(), c.id.desc()) if descending else (c.created_at, c.id)
    return [dict(r.data) for r in conn.execute(query.order_by(*order).limit(limit))]
