"""``companies``: the one company this mock serves, with the query options of any
collection."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy import Connection
from starlette.responses import Response

from mocks.core import api_principal
from mocks.erp.bc.deps import BcState, Company, State, collection, single, transaction
from mocks.erp.bc.entities import EntitySet, company_set

router = APIRouter(prefix="/api/v2.0", tags=["companies"], dependencies=[Depends(api_principal)])


def _entity(state: BcState) -> EntitySet:
    return company_set(str(state.settings.company_id), state.settings.company_name)


def _json(_conn: Connection, rows: list[dict[str, Any]], _expand: bool) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


@router.get("/companies")
def list_companies(request: Request, state: State) -> Response:
    """List companies."""
    with transaction(request) as conn:
        return collection(request, conn, _entity(state), _json)


@router.get("/companies({company_id})")
def get_company(request: Request, state: State, company_id: Company) -> Response:
    """Get the company ($select)."""
    entity = _entity(state)
    with transaction(request) as conn:
        row = dict(conn.execute(entity.base()).one()._mapping)
        return single(request, conn, entity, row, _json)
