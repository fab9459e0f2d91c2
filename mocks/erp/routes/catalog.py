"""Admin: load the simulator's catalogue, stores, customers and opening stock."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mocks.core.admin import AdminContext
from mocks.erp.engine import load_catalog
from mocks.erp.schemas import CatalogIn

router = APIRouter(prefix="/admin/erp", tags=["admin"])


@router.post("/catalog")
def seed_catalog(ctx: AdminContext, body: CatalogIn) -> dict[str, Any]:
    """Insert or update items, locations, customers; set opening stock (absolute)."""
    return load_catalog(
        ctx.db,
        items=body.items,
        locations=body.locations,
        customers=body.customers,
        stock_levels=body.stock,
    )
