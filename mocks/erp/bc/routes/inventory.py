"""Stock read-back per location and item, for a black-box drift sampler.

Business Central has no standard entity for this; real deployments publish a custom API
page, so this one lives under a custom API route (``/api/{publisher}/{group}/{version}``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlalchemy import select
from starlette.responses import Response

from mocks.core import ApiError, api_principal
from mocks.erp.bc import serialize
from mocks.erp.bc.deps import Company, Page, json, transaction
from mocks.erp.engine import stock
from mocks.erp.engine import tables as t

router = APIRouter(
    prefix="/api/tillbench/inventory/v1.0/companies({company_id})",
    tags=["inventory"],
    dependencies=[Depends(api_principal)],
)


@router.get("/locationInventories")
def list_location_inventories(
    _company: Company,
    paging: Page,
    location_code: Annotated[str | None, Query(alias="locationCode", max_length=20)] = None,
    item_number: Annotated[str | None, Query(alias="itemNumber", max_length=40)] = None,
) -> Response:
    """Stock per (location, item), ordered by location then item number, paged."""
    if paging.filter:
        raise ApiError(
            400,
            "$filter is not supported here; use the locationCode and itemNumber parameters.",
            field="$filter",
        )
    after: Any = paging.after
    if after is not None and not (
        isinstance(after, list) and len(after) == 2 and all(isinstance(x, str) for x in after)
    ):
        raise ApiError(400, "$skiptoken is not valid here.", field="$skiptoken")
    with transaction(paging.request) as conn:
        result = stock.page_by_location(
            conn,
            location=location_code,
            item_number=item_number,
            after=tuple(after) if after else None,
            limit=paging.limit,
        )
        ids = {r.code: r.id for r in conn.execute(select(t.locations.c.code, t.locations.c.id))}
    values = [serialize.stock_row(r, ids) for r in result.rows]
    return json(paging.envelope(values, list(result.next_after) if result.next_after else None))
