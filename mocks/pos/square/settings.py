"""Settings of the Square dialect: the engine's `PosSettings` plus Square's page caps,
cursor lifetime, batch limit and rate limit.

`get_settings()` builds the default object once; tests pass their own settings to
`create_app`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field

from mocks.pos.engine.settings import PosSettings


class SquareSettings(PosSettings):
    """Everything the Square-shaped mock POS can be told at start-up."""

    rate_limit_per_second: float | None = Field(None, gt=0)
    """Sustained requests per second per credential before 429 RATE_LIMITED; None = off.
    Square does not publish its limits (REFERENCE.md), so the default is off."""
    rate_limit_burst: int = Field(20, ge=1)
    search_page_cap: int = Field(500, ge=1, le=10_000)
    """Order search returns at most 500 per page (Square SearchOrders, REFERENCE.md)."""
    list_page_cap: int = Field(100, ge=1, le=10_000)
    inventory_page_cap: int = Field(1000, ge=1, le=10_000)
    cursor_ttl_seconds: float = Field(300.0, gt=0)
    """Cursors expire (REFERENCE.md); afterwards they get 400 INVALID_CURSOR."""
    max_inventory_changes: int = Field(100, ge=1)
    """BatchChangeInventory takes at most 100 changes (REFERENCE.md)."""


@lru_cache
def get_settings() -> SquareSettings:
    """The process-wide default settings (cached); tests pass their own."""
    return SquareSettings()
