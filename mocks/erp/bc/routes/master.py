"""``items``, ``customers`` and ``locations``: master data with ETags and paging."""

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection, Table
from starlette.responses import Response

from mocks.core import api_principal
from mocks.erp.bc import serialize
from mocks.erp.bc.deps import Company, IfMatch, Page, json, transaction
from mocks.erp.bc.odata import FilterField, expected_version, parse_filter
from mocks.erp.bc.schemas import (
    CustomerIn,
    CustomerPatch,
    ItemIn,
    ItemPatch,
    LocationIn,
    LocationPatch,
)
from mocks.erp.engine import catalog, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.fixed import to_fixed
from mocks.erp.engine.query import page

BASE = "/api/v2.0/companies({company_id})"

_COLUMNS = {
    "displayName": "display_name",
    "unitPrice": "unit_price",
    "unitCost": "unit_cost",
    "baseUnitOfMeasureCode": "base_unit_of_measure_code",
    "phoneNumber": "phone_number",
    "currencyCode": "currency_code",
}
_FIXED = {"unitPrice", "unitCost"}


def _values(body: Mapping[str, Any]) -> dict[str, Any]:
    return {
        _COLUMNS.get(k, k): (
            to_fixed(v)
            if k in _FIXED
            else (v.strip() if k == "blocked" and isinstance(v, str) else v)
        )
        for k, v in body.items()
    }


def _items_json(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    totals = stock.totals(conn, [r["id"] for r in rows])
    return [serialize.item(r, totals.get(r["id"], 0)) for r in rows]


def _plain(
    serializer: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> Callable[[Connection, list[dict[str, Any]]], list[dict[str, Any]]]:
    return lambda _conn, rows: [serializer(r) for r in rows]


def build_router(
    *,
    segment: str,
    table: Table,
    key: str,
    create_model: type[Any],
    patch_model: type[Any],
    to_json: Callable[[Connection, list[dict[str, Any]]], list[dict[str, Any]]],
    filters: Mapping[str, FilterField],
    tag: str,
) -> APIRouter:
    """CRUD routes for one master-data entity set."""
    router = APIRouter(prefix=BASE, tags=[tag], dependencies=[Depends(api_principal)])

    @router.get(f"/{segment}")
    def list_records(_company: Company, paging: Page) -> Response:
        """List records, paged with @odata.nextLink."""
        with transaction(paging.request) as conn:
            where = parse_filter(paging.filter, table, filters)
            result = page(
                conn, table, key=key, where=where, after=paging.after_str(), limit=paging.limit
            )
            return json(paging.envelope(to_json(conn, result.rows), result.next_after))

    @router.post(f"/{segment}", status_code=201)
    def create_record(request: Request, _company: Company, body: create_model) -> Response:  # type: ignore[valid-type]
        """Create a record."""
        model: Any = body
        data = model.model_dump(exclude={"odata_etag"})
        with transaction(request) as conn:
            row = catalog.create(conn, table, _values(data))
            return json(to_json(conn, [row])[0], 201)

    @router.get(f"/{segment}({{record_id}})")
    def get_record(request: Request, _company: Company, record_id: UUID) -> Response:
        """Get one record."""
        with transaction(request) as conn:
            return json(to_json(conn, [catalog.get(conn, table, str(record_id))])[0])

    @router.patch(f"/{segment}({{record_id}})")
    def patch_record(
        request: Request,
        _company: Company,
        record_id: UUID,
        body: patch_model,  # type: ignore[valid-type]
        if_match: IfMatch = None,
    ) -> Response:
        """Update a record; needs If-Match with its @odata.etag."""
        version = expected_version(if_match, str(record_id))
        model: Any = body
        changes = _values(model.model_dump(exclude_unset=True, exclude={"odata_etag"}))
        with transaction(request) as conn:
            row = catalog.patch(conn, table, str(record_id), changes, expected_version=version)
            return json(to_json(conn, [row])[0])

    @router.delete(f"/{segment}({{record_id}})", status_code=204)
    def delete_record(
        request: Request, _company: Company, record_id: UUID, if_match: IfMatch = None
    ) -> Response:
        """Delete a record; needs If-Match with its @odata.etag."""
        version = expected_version(if_match, str(record_id))
        with transaction(request) as conn:
            catalog.remove(conn, table, str(record_id), expected_version=version)
        return Response(status_code=204)

    return router


items_router = build_router(
    segment="items",
    table=t.items,
    key="number",
    create_model=ItemIn,
    patch_model=ItemPatch,
    to_json=_items_json,
    filters={
        "id": FilterField("id"),
        "number": FilterField("number"),
        "gtin": FilterField("gtin"),
        "displayName": FilterField("display_name"),
        "lastModifiedDateTime": FilterField("last_modified", "datetime"),
    },
    tag="items",
)
customers_router = build_router(
    segment="customers",
    table=t.customers,
    key="number",
    create_model=CustomerIn,
    patch_model=CustomerPatch,
    to_json=_plain(serialize.customer),
    filters={
        "id": FilterField("id"),
        "number": FilterField("number"),
        "email": FilterField("email"),
        "displayName": FilterField("display_name"),
        "lastModifiedDateTime": FilterField("last_modified", "datetime"),
    },
    tag="customers",
)
locations_router = build_router(
    segment="locations",
    table=t.locations,
    key="code",
    create_model=LocationIn,
    patch_model=LocationPatch,
    to_json=_plain(serialize.location),
    filters={
        "id": FilterField("id"),
        "code": FilterField("code"),
        "lastModifiedDateTime": FilterField("last_modified", "datetime"),
    },
    tag="locations",
)
