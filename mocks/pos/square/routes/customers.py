"""Customers API: create, retrieve, list."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import customers
from mocks.pos.square.deps import API_DEPENDENCIES, Store
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.common import SortOrder
from mocks.pos.square.schemas.misc import CreateCustomerRequest

router = APIRouter(prefix="/v2/customers", tags=["customers"], dependencies=API_DEPENDENCIES)


@router.post("")
async def create_customer(body: CreateCustomerRequest, request: Request, store: Store) -> Response:
    """Create a customer profile."""
    fields = body.dump()
    return await write(
        request,
        store,
        scope="customers.create",
        key=body.idempotency_key,
        body=fields,
        action=lambda conn: {"customer": customers.create_customer(conn, store, fields)},
    )


@router.get("")
async def list_customers(
    store: Store,
    cursor: str | None = Query(None, max_length=2000),
    limit: int = Query(100, ge=1, le=100),
    sort_field: Literal["DEFAULT", "CREATED_AT"] = "DEFAULT",
    sort_order: SortOrder = "ASC",
) -> Response:
    """List customers by creation time."""
    shape = {"f": sort_field, "o": sort_order}
    after = position(store, cursor, query=shape, size=2)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = customers.list_customers(
            conn,
            after=(after[0], after[1]) if after else None,
            limit=limit + 1,
            descending=sort_order == "DESC",
        )
        payload: dict[str, Any] = {"customers": found[:limit]}
        if len(found) > limit:
            last = found[limit - 1]
            payload["cursor"] = next_cursor(store, [last["created_at"], last["id"]], query=shape)
        return payload

    return read(store, run)


@router.get("/{customer_id}")
async def retrieve_customer(
    store: Store, customer_id: str = Path(min_length=1, max_length=191)
) -> Response:
    """Retrieve one customer."""
    return read(store, lambda conn: {"customer": customers.get_customer(conn, customer_id)})
