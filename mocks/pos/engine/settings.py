"""Settings of the POS engine, shared by every POS dialect: the core settings plus the
merchant, settlement, consistency, ingestion and webhook delivery rules. A dialect
subclasses `PosSettings` for what is its own (`mocks.pos.square.SquareSettings`: page
caps, cursor lifetime, batch limits, rate limit).

Defaults that reproduce a documented behaviour cite their source (../shared/REFERENCE.md).
"""

from __future__ import annotations

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
    """What every mock POS can be told at start-up."""

    db_url: str = "sqlite:///tillbench-pos.sqlite3"
    merchant_id: str = "MLTILLBENCH01"
    currency: str = Field("USD", pattern=r"^[A-Z]{3}$")
    """Currency of the locations the POS creates."""
    payment_settle_seconds: float = Field(1.0, ge=0)
    """PENDING payments become COMPLETED after this many wall seconds."""
    refund_settle_seconds: float = Field(1.0, ge=0)
    """PENDING refunds become COMPLETED (or FAILED) after this many wall seconds."""
    refund_failure_rate: float = Field(0.0, ge=0, le=1)
    """Share of refunds that end FAILED instead of COMPLETED (decided from the refund id)."""
    search_lag_seconds: float = Field(0.0, ge=0)
    """List endpoints are eventually consistent (REFERENCE.md): hide the newest writes."""
    physical_count_max_age_seconds: float = Field(24 * 3600.0, gt=0)
    """A physical count may not be more than 24 h old (REFERENCE.md)."""
    clock_skew_seconds: float = Field(5.0, ge=0)
    """How far ahead of the server clock an occurred_at may be before it is 'in the future'."""
    max_driver_batch: int = Field(5000, ge=1)
    """Most transactions one ingestion call may carry."""
    webhooks: WebhookSettings = WebhookSettings()
    run_background: bool = True
    """Run the webhook dispatcher and the payment/refund settler with the app."""
