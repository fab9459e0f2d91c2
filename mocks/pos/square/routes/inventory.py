"""Inventory API: batch changes (PHYSICAL_COUNT, ADJUSTMENT), batch count retrieval, batch
change retrieval and one object's counts (RetrieveInventoryCount)."""

from __future__ import annotations

from typing import Any, get_args

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import inventory
from mocks.pos.engine.catalog import variations_by_id
from mocks.pos.engine.errors import InvalidRequest, NotFound, missing
from mocks.pos.engine.locations import require_locations
from mocks.pos.engine.quantities import parse_quantity
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.timestamps import normalize
from mocks.pos.square.deps import API_DEPENDENCIES, Store, square_settings
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.common import InventoryState
from mocks.pos.square.schemas.inventory import (
    BatchChangeInventoryRequest,
    BatchRetrieveInventoryChangesRequest,
    BatchRetrieveInventoryCountsRequest,
    InventoryChange,
)

router = APIRouter(prefix="/v2/inventory", tags=["inventory"], dependencies=API_DEPENDENCIES)

UNTRACKED_STATES = ("NONE", "SOLD", "UNLINKED_RETURN")
"""States Square keeps no count of (its reference: "Ignored are untracked states of NONE,
SOLD, and UNLINKED_RETURN")."""
COUNTED_STATES = [s for s in get_args(InventoryState) if s not in UNTRACKED_STATES]


def _change(store: PosStore, change: InventoryChange, path: str) -> inventory.Change:
    if change.type is None:
        raise missing(f"{path}.type")
    if change.type == "TRANSFER":
        raise InvalidRequest(
            "TRANSFER changes are not supported by this POS; use PHYSICAL_COUNT or ADJUSTMENT",
            field=f"{path}.type",
            code="INVALID_ENUM_VALUE",
        )
    key = "physical_count" if change.type == "PHYSICAL_COUNT" else "adjustment"
    body = getattr(change, key)
    if body is None:
        raise missing(f"{path}.{key}")
    where = f"{path}.{key}"
    for name in ("catalog_object_id", "location_id", "quantity", "occurred_at"):
        if getattr(body, name) is None:
            raise missing(f"{where}.{name}")
    if change.type == "PHYSICAL_COUNT":
        if body.state is None:
            raise missing(f"{where}.state")
        states: dict[str, Any] = {"state": body.state}
    else:
        if body.from_state is None:
            raise missing(f"{where}.from_state")
        if body.to_state is None:
            raise missing(f"{where}.to_state")
        if body.from_state == body.to_state:
            raise InvalidRequest(
                f"from_state and to_state are both {body.from_state}", field=f"{where}.to_state"
            )
        states = {"from_state": body.from_state, "to_state": body.to_state}
    quantity = parse_quantity(
        body.quantity, f"{where}.quantity", allow_zero=change.type == "PHYSICAL_COUNT"
    )
    result = inventory.Change(
        type=change.type,
        catalog_object_id=body.catalog_object_id,
        location_id=body.location_id,
        quantity=quantity,
        occurred_at=normalize(body.occurred_at, f"{where}.occurred_at"),
        reference_id=body.reference_id,
        path=where,
        **states,
    )
    inventory.check_api_rules(store, result)
    return result


@router.post("/changes/batch-create")
async def batch_change_inventory(
    body: BatchChangeInventoryRequest, request: Request, store: Store
) -> Response:
    """Apply up to 100 stock changes, sequenced by occurred_at."""
    items = body.changes or []
    cap = square_settings(store).max_inventory_changes
    if len(items) > cap:
        raise InvalidRequest(
            f"at most {cap} changes per request, got {len(items)}; split the batch",
            field="changes",
            code="ARRAY_LENGTH_TOO_LONG",
        )
    changes = [_change(store, item, f"changes[{i}]") for i, item in enumerate(items)]

    def run(conn: sa.Connection) -> dict[str, Any]:
        known = variations_by_id(conn, list({c.catalog_object_id for c in changes}))
        for change in changes:
            if change.catalog_object_id not in known:
                raise InvalidRequest(
                    f"{change.catalog_object_id!r} is not an item variation of the catalogue",
                    field=f"{change.path}.catalog_object_id",
                    code="NOT_FOUND",
                )
        locations = sorted({c.location_id for c in changes})
        require_locations(conn, locations, field="location_ids")
        records, counts = inventory.apply_changes(conn, store, changes)
        return {"changes": records, "counts": counts}

    return await write(
        request,
        store,
        scope="inventory.changes",
        key=body.idempotency_key,
        body=body.dump(),
        action=run,
    )


@router.post("/counts/batch-retrieve")
async def batch_retrieve_counts(
    body: BatchRetrieveInventoryCountsRequest, store: Store
) -> Response:
    """Current counts per variation, location and state (IN_STOCK by default)."""
    updated_after = normalize(body.updated_after, "updated_after") if body.updated_after else None
    states = list(body.states or ["IN_STOCK"])
    cap = square_settings(store).inventory_page_cap
    limit = min(body.limit or cap, cap)
    shape = body.model_dump(exclude={"cursor", "limit"}, exclude_none=True)
    after = position(store, body.cursor, query=shape, size=3)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = inventory.list_counts(
            conn,
            catalog_object_ids=body.catalog_object_ids,
            location_ids=body.location_ids,
            states=states,
            updated_after=updated_after,
            after=(after[0], after[1], after[2]) if after else None,
            limit=limit + 1,
        )
        payload: dict[str, Any] = {"counts": found[:limit]}
        if len(found) > limit:
            last = found[limit - 1]
            payload["cursor"] = next_cursor(
                store,
                [last["catalog_object_id"], last["location_id"], last["state"]],
                query=shape,
            )
        return payload

    return read(store, run)


@router.post("/changes/batch-retrieve")
async def batch_retrieve_changes(
    body: BatchRetrieveInventoryChangesRequest, store: Store
) -> Response:
    """Recorded stock changes (with their ids) in arrival order, with cursor pagination."""
    after = normalize(body.updated_after, "updated_after") if body.updated_after else None
    before = normalize(body.updated_before, "updated_before") if body.updated_before else None
    limit = min(body.limit or 100, square_settings(store).inventory_page_cap)
    shape = body.model_dump(exclude={"cursor", "limit"}, exclude_none=True)
    position_ = position(store, body.cursor, query=shape, size=1)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = inventory.list_changes(
            conn,
            catalog_object_ids=body.catalog_object_ids,
            location_ids=body.location_ids,
            types=list(body.types) if body.types else None,
            states=list(body.states) if body.states else None,
            updated_after=after,
            updated_before=before,
            after_seq=int(position_[0]) if position_ else None,
            limit=limit + 1,
        )
        payload: dict[str, Any] = {"changes": [change for _, change in found[:limit]]}
        if len(found) > limit:
            payload["cursor"] = next_cursor(store, [found[limit - 1][0]], query=shape)
        return payload

    return read(store, run)


@router.get("/{catalog_object_id}")
async def retrieve_inventory_count(
    store: Store,
    catalog_object_id: str = Path(min_length=1, max_length=100),
    location_ids: str | None = Query(None, max_length=10_000),
    cursor: str | None = Query(None, max_length=2000),
) -> Response:
    """One item variation's counts at the given locations (comma-separated; none: all),
    in every state that has a count; nothing found: ``{}``, as Square answers."""
    wanted = [part.strip() for part in (location_ids or "").split(",") if part.strip()]
    cap = square_settings(store).inventory_page_cap
    shape = {"catalog_object_id": catalog_object_id, "location_ids": wanted}
    after = position(store, cursor, query=shape, size=3)

    def run(conn: sa.Connection) -> dict[str, Any]:
        if not variations_by_id(conn, [catalog_object_id]):
            raise NotFound(
                f"{catalog_object_id!r} is not an item variation of the catalogue; find ids "
                "with POST /v2/catalog/search",
                field="catalog_object_id",
            )
        if wanted:
            require_locations(conn, wanted, field="location_ids")
        found = inventory.list_counts(
            conn,
            catalog_object_ids=[catalog_object_id],
            location_ids=wanted or None,
            states=COUNTED_STATES,
            updated_after=None,
            after=(after[0], after[1], after[2]) if after else None,
            limit=cap + 1,
        )
        payload: dict[str, Any] = {"counts": found[:cap]} if found else {}
        if len(found) > cap:
            last = found[cap - 1]
            payload["cursor"] = next_cursor(
                store,
                [last["catalog_object_id"], last["location_id"], last["state"]],
                query=shape,
            )
        return payload

    return read(store, run)
