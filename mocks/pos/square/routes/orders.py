"""Orders API: create, retrieve, batch-retrieve, search, update."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path, Request, Response

from mocks.pos.engine import orders
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.locations import require_locations
from mocks.pos.engine.timestamps import normalize
from mocks.pos.square.deps import API_DEPENDENCIES, Store, square_settings
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.orders import (
    BatchRetrieveOrdersRequest,
    CreateOrderRequest,
    SearchOrdersRequest,
    UpdateOrderRequest,
)

router = APIRouter(prefix="/v2/orders", tags=["orders"], dependencies=API_DEPENDENCIES)
OrderId = Path(min_length=1, max_length=192)


@router.post("")
async def create_order(body: CreateOrderRequest, request: Request, store: Store) -> Response:
    """Create an order (OPEN or DRAFT)."""
    spec = body.order.dump()
    return await write(
        request,
        store,
        scope="orders.create",
        key=body.idempotency_key,
        body=body.dump(),
        action=lambda conn: {"order": orders.create_order(conn, store, spec)},
    )


@router.post("/batch-retrieve")
async def batch_retrieve_orders(body: BatchRetrieveOrdersRequest, store: Store) -> Response:
    """Retrieve up to 100 orders by id."""
    return read(
        store, lambda conn: {"orders": orders.batch_get(conn, body.order_ids, body.location_id)}
    )


@router.post("/search")
async def search_orders(body: SearchOrdersRequest, store: Store) -> Response:
    """Search orders of up to 10 locations by state and time, with cursor pagination."""
    query = body.query
    filters = query.filter if query else None
    states = filters.state_filter.states if filters and filters.state_filter else None
    time_field, start_at, end_at = _time_filter(filters.date_time_filter if filters else None)
    sort = query.sort if query else None
    sort_field = sort.sort_field if sort else "CREATED_AT"
    descending = (sort.sort_order if sort and sort.sort_order else "DESC") == "DESC"
    if time_field is not None and time_field != sort_field:
        raise InvalidRequest(
            f"a date_time_filter on {time_field.lower()} needs sort_field {time_field}, got "
            f"{sort_field}",
            field="query.sort.sort_field",
        )
    cap = square_settings(store).search_page_cap
    limit = min(body.limit or cap, cap)
    shape = body.model_dump(exclude={"cursor", "limit"}, exclude_none=True)
    after = position(store, body.cursor, query=shape, size=2)

    def run(conn: Any) -> dict[str, Any]:
        require_locations(conn, body.location_ids, field="location_ids")
        found = orders.search(
            conn,
            store,
            location_ids=body.location_ids,
            states=list(states) if states else None,
            time_field=time_field,
            start_at=start_at,
            end_at=end_at,
            sort_field=sort_field,
            descending=descending,
            after=(after[0], after[1]) if after else None,
            limit=limit + 1,
        )
        page = found[:limit]
        payload: dict[str, Any] = {}
        if body.return_entries:
            payload["order_entries"] = [
                {"order_id": o["id"], "version": o["version"], "location_id": o["location_id"]}
                for o in page
            ]
        else:
            payload["orders"] = page
        if len(found) > limit:
            last = page[-1]
            payload["cursor"] = next_cursor(
                store, [last[sort_field.lower()], last["id"]], query=shape
            )
        return payload

    return read(store, run)


def _time_filter(dt: Any) -> tuple[str | None, str | None, str | None]:
    if dt is None:
        return None, None, None
    chosen = [(name, getattr(dt, name)) for name in ("created_at", "updated_at", "closed_at")]
    chosen = [(name, value) for name, value in chosen if value is not None]
    if not chosen:
        return None, None, None
    if len(chosen) > 1:
        raise InvalidRequest(
            "filter on one of created_at, updated_at or closed_at, not several",
            field="query.filter.date_time_filter",
        )
    name, window = chosen[0]
    base = f"query.filter.date_time_filter.{name}"
    start = normalize(window.start_at, f"{base}.start_at") if window.start_at else None
    end = normalize(window.end_at, f"{base}.end_at") if window.end_at else None
    if start and end and start > end:
        raise InvalidRequest(
            f"start_at {start} is after end_at {end}",
            field=f"{base}.start_at",
            code="INVALID_TIME_RANGE",
        )
    return name.upper(), start, end


@router.get("/{order_id}")
async def retrieve_order(store: Store, order_id: str = OrderId) -> Response:
    """Retrieve one order."""
    return read(store, lambda conn: {"order": orders.get_order(conn, order_id)})


@router.put("/{order_id}")
async def update_order(
    body: UpdateOrderRequest, request: Request, store: Store, order_id: str = OrderId
) -> Response:
    """Sparse update of an OPEN or DRAFT order; `order.version` must be the current one."""
    changes = body.order.dump() if body.order else {}
    clear = list(body.fields_to_clear or [])
    return await write(
        request,
        store,
        scope="orders.update",
        key=body.idempotency_key,
        body={"order_id": order_id, **body.dump()},
        action=lambda conn: {"order": orders.update_order(conn, store, order_id, changes, clear)},
    )
