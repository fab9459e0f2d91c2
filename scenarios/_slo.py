"""What a run must achieve to pass: the ``slo`` section (see DESIGN.md, Definitions)."""

from __future__ import annotations

from datetime import timedelta

from pydantic import Field

from ._base import Section
from ._duration import NonNegativeDuration
from ._limits import MAX_COUNT

__all__ = ["Slo"]


class Slo(Section):
    """Service-level objectives; a null latency objective is not checked."""

    sync_latency_p95: NonNegativeDuration | None = timedelta(seconds=60)
    """95th percentile of sync latency (sale completed at POS → committed in ERP)."""
    sync_latency_p99: NonNegativeDuration | None = None
    missing: int = Field(default=0, ge=0, le=MAX_COUNT)
    """Sales, returns or voids at the POS never seen in the ERP."""
    duplicates: int = Field(default=0, ge=0, le=MAX_COUNT)
    mismatched: int = Field(default=0, ge=0, le=MAX_COUNT)
    """Documents whose amount, tax, quantity or tender differ from the POS."""
    unexpected: int = Field(default=0, ge=0, le=MAX_COUNT)
    """ERP documents that match no POS transaction under any reference."""
    wrong_store: int = Field(default=0, ge=0, le=MAX_COUNT)
    """Transactions with a document, line or stock movement posted to another store."""
    converge_within: NonNegativeDuration = timedelta(minutes=10)
    """After traffic or a fault stops, integration drift must be 0 again within this."""
    card_leaks: int = Field(default=0, ge=0, le=MAX_COUNT)
    """Card numbers found beyond the POS (ERP, connector logs, run directory)."""
