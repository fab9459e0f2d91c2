"""The POS engine's additions to the admin API (every dialect): the webhook delivery log
and outbox state."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Response

from mocks.core import require_admin
from mocks.pos.engine import outbox
from mocks.pos.engine.deps import Store, json

router = APIRouter(prefix="/admin/pos", tags=["admin"], dependencies=[Depends(require_admin)])


@router.get("/webhooks/deliveries")
async def delivery_log(
    store: Store,
    since_id: int = Query(0, ge=0, le=2**62),
    limit: int = Query(10_000, ge=1, le=100_000),
) -> Response:
    """One row per delivery attempt (event, subscription, outcome, status, latency)."""
    rows = outbox.delivery_log(store, limit=limit, after_id=since_id)
    return json({"rows": rows, "next_since_id": rows[-1]["id"] if rows else since_id})


@router.get("/webhooks/outbox")
async def outbox_state(store: Store) -> Response:
    """How many deliveries are pending, delivered, failed, dropped or cancelled."""
    return json({"outbox": outbox.outbox_state(store)})
