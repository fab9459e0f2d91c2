"""Refunds API: refund a completed payment (PENDING → COMPLETED/FAILED), retrieve, list."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import refunds
from mocks.pos.engine.errors import InvalidRequest, missing
from mocks.pos.engine.locations import get_location
from mocks.pos.square.deps import API_DEPENDENCIES, Store
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.common import SortOrder
from mocks.pos.square.schemas.payments import RefundPaymentRequest

router = APIRouter(prefix="/v2/refunds", tags=["refunds"], dependencies=API_DEPENDENCIES)
RefundId = Path(min_length=1, max_length=255)


@router.post("")
async def refund_payment(body: RefundPaymentRequest, request: Request, store: Store) -> Response:
    """Refund (part of) a completed payment, or record an unlinked refund."""

    def run(conn: sa.Connection) -> dict[str, Any]:
        if body.payment_id is None and not body.unlinked:
            raise missing("payment_id")
        location_id = None
        if body.payment_id is None:
            if body.location_id is None:
                raise missing("location_id")
            location = get_location(conn, body.location_id, field="location_id")
            if location["currency"] != body.amount_money.currency:
                raise InvalidRequest(
                    f"currency {body.amount_money.currency} is not the location's "
                    f"{location['currency']}",
                    field="amount_money.currency",
                    code="CURRENCY_MISMATCH",
                )
            location_id = location["id"]
        record = refunds.create_refund(
            conn,
            store,
            payment_id=body.payment_id,
            amount=body.amount_money.amount,
            currency=body.amount_money.currency,
            reason=body.reason,
            location_id=location_id,
            status="PENDING" if store.settings.refund_settle_seconds > 0 else "COMPLETED",
        )
        return {"refund": record}

    return await write(
        request,
        store,
        scope="refunds.create",
        key=body.idempotency_key,
        body=body.dump(),
        action=run,
    )


@router.get("")
async def list_refunds(
    store: Store,
    sort_order: SortOrder = "DESC",
    cursor: str | None = Query(None, max_length=2000),
    location_id: str | None = Query(None, max_length=50),
    status: Literal["PENDING", "COMPLETED", "FAILED", "REJECTED"] | None = None,
    limit: int = Query(100, ge=1, le=1_000_000),
) -> Response:
    """List refunds by creation time (at most 100 per page)."""
    shape = {"s": sort_order, "l": location_id, "st": status}
    after = position(store, cursor, query=shape, size=2)
    size = min(limit, 100)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = refunds.page(
            conn,
            location_id=location_id,
            status=status,
            descending=sort_order == "DESC",
            after=(after[0], after[1]) if after else None,
            limit=size + 1,
        )
        payload: dict[str, Any] = {"refunds": found[:size]}
        if len(found) > size:
            last = found[size - 1]
            payload["cursor"] = next_cursor(store, [last["created_at"], last["id"]], query=shape)
        return payload

    return read(store, run)


@router.get("/{refund_id}")
async def get_refund(store: Store, refund_id: str = RefundId) -> Response:
    """Retrieve one refund."""
    return read(store, lambda conn: {"refund": refunds.get_refund(conn, refund_id)})
