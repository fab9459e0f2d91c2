"""Payments: PENDING → COMPLETED asynchronously, tenders on the order, order completion.

A card (or external, or wallet) payment is PENDING until `payment_settle_seconds` have
passed; cash completes at once. When the completed payments of an OPEN order cover its
total, the order becomes COMPLETED (and its stock moves), as an order paid in full does.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine import orders as order_engine
from mocks.pos.engine.errors import InvalidRequest, NotFound, PosError
from mocks.pos.engine.events import emit_record
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.pricing import money
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import payments
from mocks.pos.engine.timestamps import fmt

Record = dict[str, Any]


class PaymentDeclined(PosError):
    """The (test) card was declined."""

    status_code = 402
    category = "PAYMENT_METHOD_ERROR"
    default_code = "GENERIC_DECLINE"


def source_details(source_id: str, amount: int, currency: str, request: Record) -> Record:
    """`source_type` and the matching details object for a Square `source_id`."""
    if source_id == "CASH":
        cash = request.get("cash_details")
        if not cash:
            raise InvalidRequest(
                "cash_details.buyer_supplied_money is required when source_id is CASH",
                field="cash_details",
                code="MISSING_REQUIRED_PARAMETER",
            )
        supplied = int(cash["buyer_supplied_money"]["amount"])
        if supplied < amount:
            raise InvalidRequest(
                f"buyer_supplied_money {supplied} is less than the amount {amount}",
                field="cash_details.buyer_supplied_money.amount",
                code="VALUE_TOO_LOW",
            )
        return {
            "source_type": "CASH",
            "cash_details": {
                "buyer_supplied_money": money(supplied, currency),
                "change_back_money": money(supplied - amount, currency),
            },
        }
    if source_id == "EXTERNAL":
        external = request.get("external_details")
        if not external:
            raise InvalidRequest(
                "external_details (type, source) is required when source_id is EXTERNAL",
                field="external_details",
                code="MISSING_REQUIRED_PARAMETER",
            )
        return {"source_type": "EXTERNAL", "external_details": dict(external)}
    if source_id == "cnon:card-nonce-declined":
        raise PaymentDeclined("the card was declined (test nonce)", field="source_id")
    if source_id.startswith(("cnon:", "ccof:")):
        return {"source_type": "CARD", "card_details": card_details("VISA", "1111", "KEYED")}
    raise InvalidRequest(
        f"source_id {source_id!r} is not a payment source: use CASH, EXTERNAL or a card nonce "
        "such as cnon:card-nonce-ok",
        field="source_id",
    )


def card_details(brand: str, last4: str, entry_method: str) -> Record:
    """Card details as Square exposes them: brand and last four digits only."""
    return {
        "status": "CAPTURED",
        "card": {
            "card_brand": brand,
            "last_4": last4,
            "card_type": "CREDIT",
            "exp_month": 12,
            "exp_year": 2030,
        },
        "entry_method": entry_method,
        "cvv_status": "CVV_ACCEPTED",
        "avs_status": "AVS_ACCEPTED",
        "statement_description": "SQ *TILLBENCH",
    }


def create_payment(
    conn: sa.Connection,
    store: PosStore,
    *,
    amount: int,
    currency: str,
    details: Record,
    location_id: str,
    order_id: str | None,
    status: str,
    at: datetime | None = None,
    payment_id: str | None = None,
    extra: Record | None = None,
) -> Record:
    """Record a payment in `status` (PENDING settles later) and queue payment.created."""
    now = store.clock()
    stamp = fmt(at or now)
    record: Record = {
        "id": payment_id or new_id(),
        "created_at": stamp,
        "updated_at": stamp,
        "amount_money": money(amount, currency),
        "total_money": money(amount, currency),
        "approved_money": money(amount, currency),
        "status": status,
        "location_id": location_id,
        "delay_action": "CANCEL",
        "delay_duration": "PT168H",
        "refund_ids": [],
        "capabilities": ["EDIT_AMOUNT_UP", "EDIT_AMOUNT_DOWN", "EDIT_TIP_AMOUNT"],
        "application_details": {"square_product": "SQUARE_POS", "application_id": "tillbench"},
        "version_token": new_id()[:20],
        **details,
    }
    if order_id is not None:
        record["order_id"] = order_id
    record["receipt_number"] = record["id"][:4]
    record.update(extra or {})
    settle_at = None
    if status == "PENDING":
        settle_at = now.timestamp() + store.settings.payment_settle_seconds
    conn.execute(
        payments.insert().values(
            id=record["id"],
            order_id=order_id,
            location_id=location_id,
            status=status,
            amount=amount,
            currency=currency,
            refunded=0,
            created_at=stamp,
            updated_at=stamp,
            settle_at=settle_at,
            data=record,
        )
    )
    _event(conn, store, record, "payment.created")
    if status == "COMPLETED":
        _event(conn, store, record, "payment.updated")
        if order_id is not None:
            apply_to_order(conn, store, record)
    return record


def _event(conn: sa.Connection, store: PosStore, record: Record, event_type: str) -> None:
    emit_record(conn, store, event_type, "payment", record)


def get_payment(conn: sa.Connection, payment_id: str, *, field: str = "payment_id") -> Record:
    """One payment or NotFound."""
    row = conn.execute(sa.select(payments.c.data).where(payments.c.id == payment_id)).first()
    if row is None:
        raise NotFound(f"payment {payment_id!r} does not exist", field=field)
    return dict(row.data)


def write(conn: sa.Connection, store: PosStore, record: Record, **columns: Any) -> None:
    """Persist a changed payment and queue payment.updated."""
    record["updated_at"] = fmt(store.clock())
    record["version_token"] = new_id()[:20]
    conn.execute(
        payments.update()
        .where(payments.c.id == record["id"])
        .values(data=record, updated_at=record["updated_at"], **columns)
    )
    _event(conn, store, record, "payment.updated")


def apply_to_order(conn: sa.Connection, store: PosStore, payment: Record) -> None:
    """Add the completed payment as a tender; complete the order once it is paid in full."""
    order = order_engine.get_order(conn, payment["order_id"], for_update=True)
    if order["state"] not in ("OPEN",):
        return
    tender: Record = {
        "id": payment["id"],
        "location_id": order["location_id"],
        "transaction_id": order["id"],
        "created_at": payment["created_at"],
        "amount_money": payment["amount_money"],
        "type": {"CASH": "CASH", "CARD": "CARD"}.get(payment.get("source_type", ""), "OTHER"),
        "payment_id": payment["id"],
    }
    if payment.get("source_type") == "CARD":
        card = payment["card_details"]["card"]
        tender["card_details"] = {
            "status": "CAPTURED",
            "card": {"card_brand": card["card_brand"], "last_4": card["last_4"]},
            "entry_method": payment["card_details"]["entry_method"],
        }
    tenders = [*order.get("tenders", []), tender]
    paid = sum(int(t["amount_money"]["amount"]) for t in tenders)
    due = max(int(order["total_money"]["amount"]) - paid, 0)
    previous = order["version"]
    order["tenders"] = tenders
    order["net_amount_due_money"] = money(due, order["total_money"]["currency"])
    if due == 0:
        order["state"] = "COMPLETED"
        order["closed_at"] = payment["updated_at"]
    order_engine.save(conn, store, order, expected_version=previous)
    if due == 0:
        order_engine.decrement_stock(conn, store, order)


def settle_due_payments(conn: sa.Connection, store: PosStore, *, limit: int = 200) -> int:
    """Move PENDING payments whose time has come to COMPLETED; returns how many."""
    now = store.clock().timestamp()
    rows = conn.execute(
        sa.select(payments.c.id)
        .where(payments.c.status == "PENDING", payments.c.settle_at <= now)
        .order_by(payments.c.settle_at)
        .limit(limit)
    ).all()
    settled = 0
    for row in rows:
        claimed = conn.execute(
            payments.update()
            .where(payments.c.id == row.id, payments.c.status == "PENDING")
            .values(status="COMPLETED", settle_at=None)
        )
        if claimed.rowcount != 1:
            continue
        record = get_payment(conn, row.id)
        record["status"] = "COMPLETED"
        if record.get("card_details"):
            record["card_details"]["status"] = "CAPTURED"
        write(conn, store, record)
        if record.get("order_id"):
            apply_to_order(conn, store, record)
        settled += 1
    return settled


def check_order_payable(conn: sa.Connection, order_id: str, amount: int, currency: str) -> Record:
    """The order a payment is for; it must be OPEN and owe at least `amount`."""
    order = order_engine.get_order(conn, order_id)
    if order["state"] != "OPEN":
        raise InvalidRequest(
            f"order {order_id!r} is {order['state']}; only OPEN orders take payments",
            field="order_id",
        )
    if order["total_money"]["currency"] != currency:
        raise InvalidRequest(
            f"amount currency {currency} differs from the order's "
            f"{order['total_money']['currency']}",
            field="amount_money.currency",
            code="CURRENCY_MISMATCH",
        )
    pending = sum(
        int(r.amount)
        for r in conn.execute(
            sa.select(payments.c.amount).where(
                payments.c.order_id == order_id, payments.c.status.in_(("PENDING", "APPROVED"))
            )
        )
    )
    due = int(order["net_amount_due_money"]["amount"]) - pending
    if amount > due:
        raise InvalidRequest(
            f"amount {amount} exceeds the {due} still due on order {order_id!r}",
            field="amount_money.amount",
            code="VALUE_TOO_HIGH",
        )
    return order


def page(
    conn: sa.Connection,
    *,
    location_id: str | None,
    begin: str | None,
    end: str | None,
    descending: bool,
    after: tuple[str, str] | None,
    limit: int,
) -> list[Record]:
    """A page of payments in created_at order."""
    c = payments.c
    query = sa.select(c.data)
    if location_id:
        query = query.where(c.location_id == location_id)
    if begin:
        query = query.where(c.created_at >= begin)
    if end:
        query = query.where(c.created_at < end)
    if after is not None:
        key = sa.tuple_(c.created_at, c.id)
        query = query.where(key < sa.tuple_(*after) if descending else key > sa.tuple_(*after))
    order = (c.created_at.desc(), c.id.desc()) if descending else (c.created_at, c.id)
    return [dict(r.data) for r in conn.execute(query.order_by(*order).limit(limit))]
