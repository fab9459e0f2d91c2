"""The ERP engine's admin door, the same for every dialect: the harness loads the
simulator's catalogue, stores, customers and opening stock with ``POST /admin/erp/catalog``
(admin token; exempt from faults and journal like all of ``/admin``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from mocks.core import AdminContext
from mocks.erp.engine.seed import load_catalog

router = APIRouter(prefix="/admin/erp", tags=["admin"])


class CatalogIn(BaseModel):
    """Admin: master data and opening stock to load (see ``mocks.erp.engine.load_catalog``)."""

    model_config = ConfigDict(extra="forbid")

    items: list[dict[str, Any]] = []
    locations: list[dict[str, Any]] = []
    customers: list[dict[str, Any]] = []
    stock: list[dict[str, Any]] = []


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
