"""``items``, ``customers`` and ``locations``: master data with ETags, OData query options
and numbers from a number series for records created without one."""

from collections.abc import Callable, Mapping
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection, Table, select
from starlette.responses import Response

from mocks.core import api_principal
from mocks.erp.bc import entities, serialize
from mocks.erp.bc.deps import Company, IfMatch, collection, entity_json, single, transaction
from mocks.erp.bc.entities import EntitySet
from mocks.erp.bc.odata import expected_version
from mocks.erp.bc.schemas import (
    CustomerIn,
    CustomerPatch,
    ItemIn,
    ItemPatch,
    LocationIn,
    LocationPatch,
)
from mocks.erp.engine import catalog, numbers, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.fixed import to_fixed

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


ToJson = Callable[[Connection, list[dict[str, Any]], bool], list[dict[str, Any]]]


def _items_json(
    conn: Connection, rows: list[dict[str, Any]], _expand: bool
) -> list[dict[str, Any]]:
    totals = stock.totals(conn, [r["id"] for r in rows])
    return [serialize.item(r, totals.get(r["id"], 0)) for r in rows]


def _plain(serializer: Callable[[Mapping[str, Any]], dict[str, Any]]) -> ToJson:
    return lambda _conn, rows, _expand: [serializer(r) for r in rows]


_SERIES = {t.items: "item", t.customers: "customer"}


def _numbered(conn: Connection, table: Table, key: str, values: dict[str, Any]) -> dict[str, Any]:
    """Values with a number from the series when the client sent none (Business Central
    takes it from the Customer Nos. / Item Nos. series)."""
    if values.get(key) or table not in _SERIES:
        return values

    def taken(number: str) -> bool:
        return conn.execute(select(table.c.id).where(table.c[key] == number)).first() is not None

    return {**values, key: numbers.master_number(conn, _SERIES[table], taken)}


def build_router(
    *,
    entity: EntitySet,
    table: Table,
    key: str,
    create_model: type[Any],
    patch_model: type[Any],
    to_json: ToJson,
    tag: str,
) -> APIRouter:
    """CRUD routes for one master-data entity set."""
    router = APIRouter(prefix=BASE, tags=[tag], dependencies=[Depends(api_principal)])
    segment = entity.name

    @router.get(f"/{segment}")
    def list_records(request: Request, _company: Company) -> Response:
        """List records: $filter, $select, $orderby, $top, $skip, $count, @odata.nextLink."""
        with transaction(request) as conn:
            return collection(request, conn, entity, to_json)

    @router.post(f"/{segment}", status_code=201)
    def create_record(request: Request, _company: Company, body: create_model) -> Response:  # type: ignore[valid-type]
        """Create a record (without a number, it takes the next of its number series)."""
        model: Any = body
        data = model.model_dump(exclude={"odata_etag"})
        with transaction(request) as conn:
            row = catalog.create(conn, table, _numbered(conn, table, key, _values(data)))
            return entity_json(to_json(conn, [row], False)[0], 201)

    @router.get(f"/{segment}({{record_id}})")
    def get_record(request: Request, _company: Company, record_id: UUID) -> Response:
        """Get one record ($select)."""
        with transaction(request) as conn:
            row = catalog.get(conn, table, str(record_id))
            return single(request, conn, entity, row, to_json)

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
            return entity_json(to_json(conn, [row], False)[0])

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
    entity=entities.ITEMS,
    table=t.items,
    key="number",
    create_model=ItemIn,
    patch_model=ItemPatch,
    to_json=_items_json,
    tag="items",
)
customers_router = build_router(
    entity=entities.CUSTOMERS,
    table=t.customers,
    key="number",
    create_model=CustomerIn,
    patch_model=CustomerPatch,
    to_json=_plain(serialize.customer),
    tag="customers",
)
locations_router = build_router(
    entity=entities.LOCATIONS,
    table=t.locations,
    key="code",
    create_model=LocationIn,
    patch_model=LocationPatch,
    to_json=_plain(serialize.location),
    tag="locations",
)
