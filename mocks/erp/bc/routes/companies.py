"""``companies``: the one company this mock serves."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.responses import Response

from mocks.core import api_principal
from mocks.erp.bc.deps import Company, State, json

router = APIRouter(prefix="/api/v2.0", tags=["companies"], dependencies=[Depends(api_principal)])


def _company(state: State) -> dict[str, Any]:
    return {
        "id": str(state.settings.company_id),
        "systemVersion": "24.0",
        "name": state.settings.company_name,
        "displayName": state.settings.company_name,
        "businessProfileId": "",
    }


@router.get("/companies")
def list_companies(state: State) -> Response:
    """List companies."""
    return json({"value": [_company(state)]})


@router.get("/companies({company_id})")
def get_company(state: State, _company_id: Company) -> Response:
    """Get the company."""
    return json(_company(state))
