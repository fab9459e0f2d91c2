"""Stock and the integration's own behaviour: ``inventory`` and ``integration`` sections."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator

from ._base import Issue, Section, issues_error
from ._clock import TimeOfDay
from ._duration import PositiveDuration, at_least, format_duration
from ._limits import (
    MAX_BATCH,
    MAX_DAYS_OF_COVER,
    MAX_RETRY_ATTEMPTS,
    MIN_INTERVAL,
    MIN_REPLENISHMENT,
)

__all__ = ["Integration", "Inventory", "Replenishment", "Retry"]


class Replenishment(Section):
    """Periodic store orders: top stock up to ``target_days`` when below ``reorder_days``."""

    every: Annotated[
        PositiveDuration, at_least(MIN_REPLENISHMENT, "stores take deliveries, not a stream")
    ] = timedelta(days=1)
    at: TimeOfDay = time(5, 0)
    """Clock time deliveries arrive (before opening)."""
    target_days: float = Field(default=14.0, gt=0.0, le=MAX_DAYS_OF_COVER)
    reorder_days: float = Field(default=7.0, ge=0.0)

    @field_validator("reorder_days")
    @classmethod
    def _below_target(cls, reorder_days: float, info: ValidationInfo) -> float:
        target = info.data.get("target_days")
        if target is not None and reorder_days > target:
            raise issues_error(
                [Issue((), f"must be ≤ target_days ({target:g})", f"{reorder_days:g}")]
            )
        return reorder_days


class Inventory(Section):
    """Initial stock, shrink and replenishment."""

    days_of_cover: float = Field(default=14.0, ge=0.0, le=MAX_DAYS_OF_COVER)
    """Initial stock per store and SKU, in days of expected sales."""
    # REFERENCE (Inventory accuracy and shrink): shrink is 1.4–1.6% of sales.
    shrink_annual: float = Field(default=0.016, ge=0.0, le=1.0)
    """Share of sales lost to theft and process errors per year (physical stock only)."""
    replenishment: Replenishment = Replenishment()


class Retry(Section):
    """Connector retries: exponential backoff from ``base`` capped at ``cap``.

    Assumed defaults (not in REFERENCE): 8 tries waiting 1, 2, 4 … 64 s give up after about
    2 minutes (half that on average with full jitter); the cap matters when ``attempts``
    grows. A connector parks what still fails and tries again later.
    """

    attempts: int = Field(default=8, ge=1, le=MAX_RETRY_ATTEMPTS)
    """Total tries of one request, the first included."""
    base: PositiveDuration = timedelta(seconds=1)
    cap: PositiveDuration = timedelta(minutes=5)
    jitter: Literal["full", "equal", "none"] = "full"

    @field_validator("cap")
    @classmethod
    def _cap_above_base(cls, cap: timedelta, info: ValidationInfo) -> timedelta:
        base = info.data.get("base")
        if base is not None and cap < base:
            raise issues_error(
                [Issue((), f"must be ≥ base ({format_duration(base)})", format_duration(cap))]
            )
        return cap


class Integration(Section):
    """How sales travel from POS to ERP."""

    mode: Literal["realtime", "batch", "hybrid"] = "realtime"
    """realtime: one ERP call per sale; batch: documents every ``interval``; hybrid: sales
    in real time, financial documents (statements, journals) in batches."""
    # REFERENCE (ERP APIs): older guidance synced inventory and orders every 15 minutes.
    interval: Annotated[
        PositiveDuration, at_least(MIN_INTERVAL, "the shortest batch and sweep interval")
    ] = timedelta(minutes=15)
    # REFERENCE (Business Central): a JSON $batch carries up to 100 operations.
    max_batch: int = Field(default=100, ge=1, le=MAX_BATCH)
    retry: Retry = Retry()
