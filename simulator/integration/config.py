"""`ModelConfig`: the integration model's numbers in simulated seconds, from a scenario.

The scenario's ``integration``, ``erp`` and ``faults`` sections give almost everything.
What a scenario does not say about a connector (how many requests it keeps in flight, how
late webhooks arrive) sits in `ModelOptions`, with assumed defaults stated on each field.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal

from simulator.integration.faults import FaultWindows

__all__ = ["Z99", "ModelConfig", "ModelOptions"]

Z99 = 2.3263478740408408
"""standard normal quantile at 0.99: sigma = ln(p99 / median) / Z99 for a lognormal"""

Mode = Literal["realtime", "batch", "hybrid"]
Jitter = Literal["full", "equal", "none"]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ModelOptions:
    """Connector behaviour that scenarios do not describe (assumed, not in REFERENCE)."""

    workers: int | None = 32
    """Requests the connector keeps in flight at once; None sends everything at once (a
    webhook-triggered function per sale)."""
    webhook_median_s: float = 1.0
    """Median delay from a sale's completion to the connector seeing it (REFERENCE, Square:
    webhooks are sent typically within 60 s; assumed much less in the normal case)."""
    webhook_p99_s: float = 10.0
    reject_s: float = 0.005
    """Round trip of a request the ERP refuses at once (429 at the door, 503 in an outage)."""
    park_s: float | None = None
    """How long a request that used up its attempts waits in the dead-letter queue before
    the connector tries it again; None: ``integration.retry.cap``."""
    service: Literal["lognormal", "exponential"] = "lognormal"
    """exponential (mean = latency median) exists for the M/M/c validation."""
    inbox: bool = True
    """The connector keeps a durable inbox keyed by webhook event (as the reference
    connectors do): a duplicate webhook is dropped there and never reaches the ERP. False:
    every duplicate is handled as a document of its own (a connector without an inbox)."""


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class ModelConfig:
    """Resolved model parameters (seconds of simulated time)."""

    mode: Mode
    interval_s: float
    max_batch: int
    attempts: int
    backoff_base_s: float
    backoff_cap_s: float
    jitter: Jitter
    concurrency: int
    queue: int
    window_requests: int
    window_s: float
    latency_median_s: float
    latency_sigma: float
    load_factor: float
    batch_max_ops: int
    batch_fixed_s: float
    batch_per_op_s: float
    duplicates: Literal["reject", "accept"]
    faults: FaultWindows
    posting: Literal["draft", "on_create"] = "draft"
    """draft: a document is created, then posted (two calls, Business Central)"""
    options: ModelOptions = ModelOptions()

    @property
    def batch_size(self) -> int:
        """Operations in one ``$batch`` request: the connector's and the ERP's limit."""
        return min(self.max_batch, self.batch_max_ops)

    @property
    def park_s(self) -> float:
        return self.backoff_cap_s if self.options.park_s is None else self.options.park_s

    @property
    def webhook_sigma(self) -> float:
        o = self.options
        if o.webhook_median_s <= 0 or o.webhook_p99_s <= o.webhook_median_s:
            return 0.0
        return math.log(o.webhook_p99_s / o.webhook_median_s) / Z99

    def with_changes(self, **changes: Any) -> ModelConfig:
        """A copy with some fields replaced (tests)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_scenario(cls, scenario: Any, options: ModelOptions | None = None) -> ModelConfig:
        """Resolve a `scenarios.Scenario`."""
        integ, erp = scenario.integration, scenario.erp
        retry = integ.retry
        return cls(
            mode=integ.mode,
            interval_s=integ.interval.total_seconds(),
            max_batch=int(integ.max_batch),
            attempts=int(retry.attempts),
            backoff_base_s=retry.base.total_seconds(),
            backoff_cap_s=retry.cap.total_seconds(),
            jitter=retry.jitter,
            concurrency=int(erp.concurrency),
            queue=int(erp.queue),
            window_requests=int(erp.window.requests),
            window_s=erp.window.per.total_seconds(),
            latency_median_s=erp.latency.median.total_seconds(),
            latency_sigma=float(erp.latency.sigma),
            load_factor=float(erp.latency.load_factor),
            batch_max_ops=int(erp.batch.max_operations),
            batch_fixed_s=erp.batch.fixed.total_seconds(),
            batch_per_op_s=erp.batch.per_operation.total_seconds(),
            duplicates=erp.duplicates,
            posting=erp.posting,
            faults=FaultWindows.from_scenario(scenario),
            options=options or ModelOptions(),
        )
