"""Payments API: create (PENDING → COMPLETED asynchronously), complete, retrieve, list."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import payments
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.locations import DEFAULT_LOCATION_ID, get_location
from mocks.pos.engine.orders import get_order
from mocks.pos.engine.timestamps import normalize
from mocks.pos.square.deps import API_DEPENDENCIES, Store
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.common import SortOrder
from mocks.pos.square.schemas.payments import CreatePaymentRequest

router = APIRouter(prefix="/v2/payments", tags=["payments"], dependencies=API_DEPENDENCIES)
PaymentId = Path(min_length=1, max_length=192)


@router.post("")
async def create_payment(body: CreatePaymentRequest, request: Request, store: Store) -> Response:
    """Take a payment (card nonce, CASH or EXTERNAL), optionally for an order."""
    request_fields = body.dump()

    def run(conn: sa.Connection) -> dict[str, Any]:
        amount = body.amount_money.amount
        currency = body.amount_money.currency
        location_id = body.location_id
        if body.order_id is not None:
            order = payments.check_order_payable(conn, body.order_id, amount, currency)
            if location_id is not None and location_id != order["location_id"]:
                raise InvalidRequest(
                    f"order {body.order_id!r} belongs to location {order['location_id']!r}",
                    field="location_id",
                )
            location_id = order["location_id"]
        location = get_location(conn, location_id or DEFAULT_LOCATION_ID, field="location_id")
        if currency != location["currency"]:
            raise InvalidRequest(
                f"currency {currency} is not the location's {location['currency']}",
                field="amount_money.currency",
                code="CURRENCY_MISMATCH",
            )
        if amount <= 0:
            raise InvalidRequest(
                "amount_money.amount must be > 0", field="amount_money.amount", code="VALUE_TOO_LOW"
            )
        details = payments.source_details(body.source_id, amount, currency, request_fields)
        if body.autocomplete is False:
            status = "APPROVED"
        elif details["source_type"] == "CASH" or store.settings.payment_settle_seconds == 0:
            status = "COMPLETED"
        else:
            status = "PENDING"
        extra = {
            k: v for k, v in request_fields.items() if k in ("reference_id", "note", "customer_id")
        }
        record = payments.create_payment(
            conn,
            store,
            amount=amount,
            currency=currency,
            details=details,
            location_id=location["id"],
            order_id=body.order_id,
            status=status,
            extra=extra,
        )
        return {"payment": record}

    return await write(
        request,
        store,
        scope="payments.create",
        key=body.idempotency_key,
        body=request_fields,
        action=run,
    )


@router.get("")
async def list_payments(
    store: Store,
    begin_time: str | None = Query(None, max_length=40),
    end_time: str | None = Query(None, max_length=40),
    sort_order: SortOrder = "DESC",
    cursor: str | None = Query(None, max_length=2000),
    location_id: str | None = Query(None, max_length=50),
    limit: int = Query(100, ge=1, le=1_000_000),
) -> Response:
    """List payments by creation time (at most 100 per page)."""
    begin = normalize(begin_time, "begin_time") if begin_time else None
    end = normalize(end_time, "end_time") if end_time else None
    shape = {"b": begin, "e": end, "s": sort_order, "l": location_id}
    after = position(store, cursor, query=shape, size=2)
    size = min(limit, 100)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = payments.page(
            conn,
            location_id=location_id,
            begin=begin,
            end=end,
            descending=sort_order == "DESC",
            after=(after[0], after[1]) if after else None,
            limit=size + 1,
        )
        payload: dict[str, Any] = {"payments": found[:size]}
        if len(found) > size:
            last = found[size - 1]
            payload["cursor"] = next_cursor(store, [last["created_at"], last["id"]], query=shape)
        return payload

    return read(store, run)


@router.get("/{payment_id}")
async def get_payment(store: Store, payment_id: str = PaymentId) -> Response:
    """Retrieve one payment."""
    return read(store, lambda conn: {"payment": payments.get_payment(conn, payment_id)})


@router.post("/{payment_id}/complete")
async def complete_payment(store: Store, request: Request, payment_id: str = PaymentId) -> Response:
    """Complete an APPROVED payment (taken with autocomplete=false)."""

    def run(conn: sa.Connection) -> dict[str, Any]:
        record = payments.get_payment(conn, payment_id)
        if record["status"] == "COMPLETED":
            return {"payment": record}
        if record["status"] != "APPROVED":
            raise InvalidRequest(
                f"payment {payment_id!r} is {record['status']}; only APPROVED payments can be "
                "completed",
                field="payment_id",
            )
        record["status"] = "COMPLETED"
        payments.write(conn, store, record, status="COMPLETED")
        if record.get("order_id"):
            get_order(conn, record["order_id"])
            payments.apply_to_order(conn, store, record)
        return {"payment": record}

    return await write(request, store, scope="payments.complete", key=None, body=None, action=run)
