"""`/driver/v1`: batch ingestion of register transactions and opening stock (admin token)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request, Response
from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from mocks.core import require_admin
from mocks.pos.engine import inventory
from mocks.pos.engine.catalog import variation_for_sku
from mocks.pos.engine.deps import Store, guard_input, json
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.ingest import ingest
from mocks.pos.engine.locations import ensure_location
from mocks.pos.engine.timestamps import fmt
from mocks.pos.engine.transactions import Batch, Key, Quantity, check_year

router = APIRouter(
    prefix="/driver/v1",
    tags=["driver"],
    dependencies=[Depends(require_admin), Depends(guard_input)],
)


@router.post("/transactions")
async def ingest_transactions(body: Batch, store: Store, request: Request) -> Response:
    """Apply a batch of register transactions (all or nothing; replays are recognised)."""
    cap = store.settings.max_driver_batch
    if len(body.transactions) > cap:
        raise InvalidRequest(
            f"at most {cap} transactions per call, got {len(body.transactions)}; split the batch",
            field="transactions",
            code="ARRAY_LENGTH_TOO_LONG",
        )
    results = await request.app.state.mock.committer.run(
        lambda conn: [
            ingest(conn, store, txn, path=f"transactions[{i}]")
            for i, txn in enumerate(body.transactions)
        ]
    )
    created = sum(1 for r in results if r["status"] == "created")
    return json({"results": results, "created": created, "existing": len(results) - created})


class StockCount(BaseModel):
    """Physical stock of one SKU in one store at a moment (the opening count, say)."""

    model_config = ConfigDict(extra="forbid")

    store_id: Annotated[
        str, StringConstraints(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
    ]
    sku: Key
    quantity: Quantity
    occurred_at: Annotated[AwareDatetime, AfterValidator(check_year)]
    name: Annotated[str, StringConstraints(max_length=500)] = ""
    unit_price: int = Field(0, ge=0, le=10**12)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"


class StockBatch(BaseModel):
    """Counts to record as PHYSICAL_COUNT changes (no 24 h rule: the driver sets history)."""

    model_config = ConfigDict(extra="forbid")

    counts: list[StockCount] = Field(min_length=1, max_length=100_000)


@router.post("/inventory")
async def set_stock(body: StockBatch, store: Store, request: Request) -> Response:
    """Record physical counts per store and SKU, creating unknown SKUs and stores."""

    def run(conn: sa.Connection) -> list[dict[str, Any]]:
        changes = []
        for count in body.counts:
            ensure_location(conn, store, count.store_id, f"Store {count.store_id}")
            variation = variation_for_sku(
                conn,
                store,
                count.sku,
                name=count.name or count.sku,
                price=count.unit_price,
                currency=count.currency,
            )
            changes.append(
                inventory.Change(
                    type="PHYSICAL_COUNT",
                    catalog_object_id=variation,
                    location_id=count.store_id,
                    quantity=Decimal(count.quantity),
                    occurred_at=fmt(count.occurred_at),
                    state="IN_STOCK",
                )
            )
        return inventory.apply_changes(conn, store, changes)[1]

    counts = await request.app.state.mock.committer.run(run)
    return json({"counts": counts})
