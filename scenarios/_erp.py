"""Limits and speed of the ERP: the ``erp`` section.

Defaults follow Microsoft Dynamics 365 Business Central, the model of the mock ERP.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from ._base import Issue, Section, issues_error
from ._duration import NonNegativeDuration, PositiveDuration, format_duration
from ._limits import (
    MAX_BATCH,
    MAX_ERP_CONCURRENCY,
    MAX_ERP_QUEUE,
    MAX_ERP_WINDOW_REQUESTS,
    MAX_LOAD_FACTOR,
)

__all__ = ["Erp", "ErpBatch", "Latency", "RequestWindow"]

_Z_99 = 2.3263478740408408  # standard normal quantile at 0.99


class RequestWindow(Section):
    """A sliding window: at most ``requests`` per ``per``; beyond it the ERP answers 429."""

    # REFERENCE (Business Central): 6,000 requests per 5-minute sliding window per user.
    requests: int = Field(default=6000, ge=1, le=MAX_ERP_WINDOW_REQUESTS)
    per: PositiveDuration = timedelta(minutes=5)


class Latency(Section):
    """Lognormal service time of one request, slower under load.

    ``load_factor`` stretches latency with utilisation u of the concurrency slots:
    latency × (1 + load_factor × u).
    """

    # Assumed, not in REFERENCE: a quick single-record POST, with a long tail.
    median: PositiveDuration = timedelta(milliseconds=120)
    p99: PositiveDuration = timedelta(milliseconds=900)
    load_factor: float = Field(default=0.5, ge=0.0, le=MAX_LOAD_FACTOR)

    @field_validator("p99")
    @classmethod
    def _p99_above_median(cls, p99: timedelta, info: ValidationInfo) -> timedelta:
        median = info.data.get("median")
        if median is not None and p99 < median:
            raise issues_error(
                [Issue((), f"must be ≥ median ({format_duration(median)})", format_duration(p99))]
            )
        return p99

    @property
    def sigma(self) -> float:
        """Sigma of the lognormal whose median and 99th percentile are these."""
        return math.log(self.p99 / self.median) / _Z_99


class ErpBatch(Section):
    """The ERP's ``$batch`` endpoint: cost of one batch request."""

    # REFERENCE (Business Central): JSON $batch of up to 100 operations.
    max_operations: int = Field(default=100, ge=1, le=MAX_BATCH)
    # Assumed, not in REFERENCE: one round trip plus a share of a single request per operation.
    fixed: NonNegativeDuration = timedelta(milliseconds=200)
    per_operation: NonNegativeDuration = timedelta(milliseconds=40)


class Erp(Section):
    """Capacity and behaviour of the ERP API."""

    # REFERENCE (Business Central, older per-environment limits): only 5 processed at once.
    concurrency: int = Field(default=5, ge=1, le=MAX_ERP_CONCURRENCY)
    """Requests processed at the same time."""
    # REFERENCE (Business Central, older limits): a queue of 95, 429 beyond.
    queue: int = Field(default=95, ge=0, le=MAX_ERP_QUEUE)
    """Requests waiting for a slot; one more gets 429."""
    window: RequestWindow = RequestWindow()
    latency: Latency = Latency()
    batch: ErpBatch = ErpBatch()
    # REFERENCE (Business Central): standard BC does not keep the external document number
    # unique (uniqueness is a feature request and a paid extension).
    duplicates: Literal["accept", "reject"] = "accept"
    """accept: a second document with the same external document number is created (and
    posted twice if the client posts it); reject: it gets 409 (the extension's behaviour)."""
    # REFERENCE (Business Central API v2.0): sales documents are created as drafts and
    # posted by the bound action Microsoft.NAV.post.
    posting: Literal["draft", "on_create"] = "draft"
    """draft: documents are created as drafts and the connector posts them; on_create: they
    are posted as they are created (a simplification, kinder than Business Central)."""
    # REFERENCE (Business Central): an operation times out after 8 minutes (408).
    timeout: PositiveDuration = timedelta(minutes=8)
