"""Settings of the mock POS: the shared `CoreSettings` plus what the POS engine needs.

Defaults that reproduce a documented behaviour cite their source (../shared/REFERENCE.md).
`get_settings()` builds the default object once; tests override it through FastAPI's
`dependency_overrides` or pass their own settings to `create_app`.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from mocks.core import CoreSettings


class WebhookSettings(BaseModel):
    """How the outbox dispatcher delivers webhooks."""

    model_config = ConfigDict(extra="forbid")

    timeout_seconds: float = Field(10.0, gt=0)
    """Receiver must answer 2xx within 10 s (Square webhooks docs, REFERENCE.md)."""
    retry_base_seconds: float = Field(1.0, gt=0)
    """First retry delay; doubles per attempt up to `retry_cap_seconds`."""
    retry_cap_seconds: float = Field(300.0, gt=0)
    retry_window_seconds: float = Field(24 * 3600.0, gt=0)
    """Failed deliveries are retried for 24 h (Square; another page says 72 h)."""
    poll_seconds: float = Field(0.05, gt=0)
    """How often the dispatcher looks for due deliveries and settlements."""
    batch_size: int = Field(50, ge=1, le=1000)
    concurrency: int = Field(8, ge=1, le=256)
    jitter: float = Field(0.2, ge=0, le=1)
    """Retry delays are multiplied by a factor drawn from [1 - jitter, 1 + jitter]."""
    reorder_hold_seconds: float = Field(2.0, ge=0)
    """A delivery picked for reordering is held back this long, so later events overtake."""


class PosSettings(CoreSettings):
    """Everything the mock POS can be told at start-up."""

    db_url: str = "sqlite:///tillbench-pos.sqlite3"
    merchant_id: str = "MLTILLBENCH01"
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    """Currency of the locations the POS creates."""
    rate_limit_per_second: float | None = Field(None, gt=0)
    """Sustained requests per second per credential before 429 RATE_LIMITED; None = off.
    Square does not publish its limits (REFERENCE.md), so the default is off."""
    rate_limit_burst: int = Field(20, ge=1)
    payment_settle_seconds: float = Field(1.0, ge=0)
    """PENDING payments become COMPLETED after this many wall seconds."""
    refund_settle_seconds: float = Field(1.0, ge=0)
    """PENDING refunds become COMPLETED (or FAILED) after this many wall seconds."""
    refund_failure_rate: float = Field(0.0, ge=0, le=1)
    """Share of refunds that end FAILED instead of COMPLETED (decided from the refund id)."""
    search_page_cap: int = Field(500, ge=1, le=10_000)
    """Order search returns at most 500 per page (Square SearchOrders, REFERENCE.md)."""
    list_page_cap: int = Field(100, ge=1, le=10_000)
    inventory_page_cap: int = Field(1000, ge=1, le=10_000)
    cursor_ttl_seconds: float = Field(300.0, gt=0)
    """Cursors expire (REFERENCE.md); afterwards they get 400 INVALID_CURSOR."""
    search_lag_seconds: float = Field(0.0, ge=0)
    """List endpoints are eventually consistent (REFERENCE.md): hide the newest writes."""
    max_inventory_changes: int = Field(100, ge=1)
    """BatchChangeInventory takes at most 100 changes (REFERENCE.md)."""
    physical_count_max_age_seconds: float = Field(24 * 3600.0, gt=0)
    """A physical count may not be more than 24 h old (REFERENCE.md)."""
    clock_skew_seconds: float = Field(5.0, ge=0)
    """How far ahead of the server clock an occurred_at may be before it is 'in the future'."""
    max_driver_batch: int = Field(5000, ge=1)
    """Most transactions one ingestion call may carry."""
    webhooks: WebhookSettings = WebhookSettings()
    run_background: bool = True
    """Run the webhook dispatcher and the payment/refund settler with the app."""


@lru_cache
def get_settings() -> PosSettings:
    """The process-wide default settings (cached); tests override or pass their own."""
    return PosSettings()
