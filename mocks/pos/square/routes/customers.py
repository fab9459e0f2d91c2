"""Customers API: create, retrieve, list, search (SearchCustomers)."""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import customer_search, customers
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.timestamps import normalize
from mocks.pos.square.deps import API_DEPENDENCIES, Store
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.common import SortOrder
from mocks.pos.square.schemas.misc import (
    CreateCustomerRequest,
    CustomerFilter,
    CustomerTextFilter,
    SearchCustomersRequest,
    TimeRange,
)

UNSUPPORTED_FILTERS = ("group_ids", "segment_ids", "custom_attribute")
"""SearchCustomers filters this mock refuses (400) rather than ignores: it has no customer
groups, segments or custom attributes."""

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


@router.post("/search")
async def search_customers(body: SearchCustomersRequest, store: Store) -> Response:
    """Search customer profiles (filters combined with AND; cursor pages)."""
    query = _query(body)
    limit = body.limit or 100
    shape = body.model_dump(exclude={"cursor", "limit"}, exclude_none=True)
    after = position(store, body.cursor, query=shape, size=2)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found, total = customer_search.search(
            conn, store, query, after=(after[0], after[1]) if after else None, limit=limit + 1
        )
        payload: dict[str, Any] = {}
        if found:
            payload["customers"] = found[:limit]
        if len(found) > limit:
            last = found[limit - 1]
            key = customer_search.sort_key(last, query.sort_field)
            payload["cursor"] = next_cursor(store, [key, last["id"]], query=shape)
        if body.count:
            payload["count"] = total
        return payload

    return read(store, run)


def _query(body: SearchCustomersRequest) -> customer_search.CustomerQuery:
    """The engine's query from the request, refusing what cannot be honoured."""
    spec = body.query
    where = spec.filter if spec is not None and spec.filter is not None else CustomerFilter()
    for name in UNSUPPORTED_FILTERS:
        if getattr(where, name) is not None:
            raise InvalidRequest(
                f"the {name} filter is not supported by this mock (it has no customer "
                "groups, segments or custom attributes); leave it out",
                field=f"query.filter.{name}",
                code="BAD_REQUEST",
            )
    sources = None
    if where.creation_source is not None and where.creation_source.values:
        include = (where.creation_source.rule or "INCLUDE") == "INCLUDE"
        sources = (frozenset(where.creation_source.values), include)
    sort = spec.sort if spec is not None else None
    return customer_search.CustomerQuery(
        email_address=_text(where.email_address, "email_address"),
        phone_number=_text(where.phone_number, "phone_number"),
        reference_id=_text(where.reference_id, "reference_id"),
        created_at=_range(where.created_at, "created_at"),
        updated_at=_range(where.updated_at, "updated_at"),
        creation_sources=sources,
        sort_field=(sort.field if sort is not None and sort.field else "DEFAULT"),
        descending=sort is not None and sort.order == "DESC",
    )


def _text(match: CustomerTextFilter | None, name: str) -> customer_search.TextMatch | None:
    if match is None or (match.exact is None and match.fuzzy is None):
        return None
    field = f"query.filter.{name}"
    if match.exact is not None and match.fuzzy is not None:
        raise InvalidRequest(
            f"a text filter is exact or fuzzy, not both; drop one of {field}.exact and "
            f"{field}.fuzzy",
            field=field,
        )
    if match.fuzzy is not None:
        return customer_search.TextMatch(match.fuzzy, fuzzy=True)
    assert match.exact is not None
    value = match.exact
    if name == "phone_number":
        value = customer_search.e164(value, f"{field}.exact")
    return customer_search.TextMatch(value, fuzzy=False)


def _range(window: TimeRange | None, name: str) -> tuple[str | None, str | None] | None:
    if window is None or (window.start_at is None and window.end_at is None):
        return None
    field = f"query.filter.{name}"
    start = normalize(window.start_at, f"{field}.start_at") if window.start_at else None
    end = normalize(window.end_at, f"{field}.end_at") if window.end_at else None
    if start is not None and end is not None and start > end:
        raise InvalidRequest(
            f"{field}.start_at ({start}) is after {field}.end_at ({end})", field=field
        )
    return start, end


@router.get("/{customer_id}")
async def retrieve_customer(
    store: Store, customer_id: str = Path(min_length=1, max_length=191)
) -> Response:
    """Retrieve one customer."""
    return read(store, lambda conn: {"customer": customers.get_customer(conn, customer_id)})
