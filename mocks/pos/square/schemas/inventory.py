"""Request schemas of the Inventory API."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mocks.pos.square.schemas.common import (
    S14,
    S26R,
    S34R,
    S40,
    S100,
    S100R,
    S128R,
    S255,
    S2000,
    InventoryState,
    Model,
)


class PhysicalCount(Model):
    id: S100 | None = None
    reference_id: S255 | None = None
    catalog_object_id: S100R | None = None
    catalog_object_type: S14 | None = None
    state: InventoryState | None = None
    location_id: S100R | None = None
    quantity: S26R | None = None
    occurred_at: S34R | None = None


class Adjustment(Model):
    id: S100 | None = None
    reference_id: S255 | None = None
    from_state: InventoryState | None = None
    to_state: InventoryState | None = None
    catalog_object_id: S100R | None = None
    catalog_object_type: S14 | None = None
    location_id: S100R | None = None
    quantity: S26R | None = None
    occurred_at: S34R | None = None


class InventoryChange(Model):
    type: Literal["PHYSICAL_COUNT", "ADJUSTMENT", "TRANSFER"] | None = None
    physical_count: PhysicalCount | None = None
    adjustment: Adjustment | None = None


class BatchChangeInventoryRequest(Model):
    idempotency_key: S128R
    changes: list[InventoryChange] | None = Field(None, max_length=10_000)
    ignore_unchanged_counts: bool | None = None


class BatchRetrieveInventoryCountsRequest(Model):
    catalog_object_ids: list[S100R] | None = Field(None, max_length=1000)
    location_ids: list[S100R] | None = Field(None, max_length=1000)
    updated_after: S40 | None = None
    cursor: S2000 | None = None
    states: list[InventoryState] | None = Field(None, max_length=20)
    limit: int | None = Field(None, ge=1, le=1000)


class BatchRetrieveInventoryChangesRequest(Model):
    catalog_object_ids: list[S100R] | None = Field(None, max_length=1000)
    location_ids: list[S100R] | None = Field(None, max_length=1000)
    types: list[Literal["PHYSICAL_COUNT", "ADJUSTMENT", "TRANSFER"]] | None = Field(
        None, max_length=3
    )
    states: list[InventoryState] | None = Field(None, max_length=20)
    updated_after: S40 | None = None
    updated_before: S40 | None = None
    cursor: S2000 | None = None
    limit: int | None = Field(None, ge=1, le=1000)
