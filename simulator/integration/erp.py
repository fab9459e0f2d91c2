"""The ERP's door and desk, shared by both engines: who gets in, and how long it takes.

`ErpDoor.admit` applies, in the mock ERP's order (``mocks/erp/engine/capacity.py``): the ERP's
faults, the per-credential sliding request window (429 with Retry-After), then the bounded
queue (429 when every slot is busy and ``queue`` requests already wait). `service_time`
is the lognormal latency (median and p99 of the scenario) stretched by load like the mock:
× (1 + load_factor × (busy − 1) / concurrency), ``busy`` counting the request itself; a
``$batch`` costs fixed + per-operation time with the same noise. The connector uses one
credential, so one window.
"""

from __future__ import annotations

import math
from collections import deque

from simulator.integration.config import ModelConfig
from simulator.integration.faults import ErpHit

__all__ = ["ErpDoor", "backoff", "service_time"]

OK, CONFLICT, TOO_MANY, UNAVAILABLE = 201, 409, 429, 503
_ERP_KINDS = ("outage", "rate_limit", "errors", "latency")
_CLEAR = ErpHit()


class ErpDoor:
    """Admission control of the ERP for one connector credential."""

    def __init__(self, config: ModelConfig) -> None:
        self.config = config
        self._window: deque[float] = deque()
        self._faults = bool(config.faults.of("erp", *_ERP_KINDS))
        self.window_refusals = 0
        """429s because the request window was full"""
        self.queue_refusals = 0
        """429s because every slot was busy and the queue full"""
        self.window_peak = 0
        """most requests ever admitted within one window"""

    def admit(
        self, a: float, u: float, *, waiting: int, all_busy: bool
    ) -> tuple[int, float, float]:
        """(status, retry_after_s, extra_s) for a request arriving at ``a``.

        status 0 admits the request (``extra_s`` of fault latency; a later failure status
        comes back as a negative number: fail with it after the service time).
        """
        cfg = self.config
        hit = cfg.faults.erp(a, u) if self._faults else _CLEAR
        if hit.status == UNAVAILABLE or hit.retry_after_s:
            return hit.status, hit.retry_after_s, 0.0
        window, limit = self._window, cfg.window_requests
        horizon = a - cfg.window_s
        while window and window[0] <= horizon:
            window.popleft()
        if len(window) >= limit:
            retry = max(1.0, math.ceil(window[len(window) - limit] + cfg.window_s - a))
            self.window_refusals += 1
            return TOO_MANY, retry, 0.0
        window.append(a)
        if len(window) > self.window_peak:
            self.window_peak = len(window)
        if all_busy and waiting >= cfg.queue:
            self.queue_refusals += 1
            return TOO_MANY, 1.0, 0.0
        return -hit.status if hit.status else 0, 0.0, hit.extra_s


def service_time(config: ModelConfig, *, ops: int, batch: bool, z: float, busy: int) -> float:
    """Seconds of ERP work for one request that started with ``busy`` slots in use."""
    c = config
    if c.options.service == "exponential":
        noise = -math.log(max(1e-300, 0.5 * math.erfc(-z / math.sqrt(2.0))))
    else:
        noise = math.exp(c.latency_sigma * z)
    base = c.batch_fixed_s + c.batch_per_op_s * ops if batch else c.latency_median_s
    return base * noise * (1.0 + c.load_factor * (busy - 1) / c.concurrency)


def backoff(config: ModelConfig, attempt: int, u: float) -> float:
    """Wait before try ``attempt + 1`` after ``attempt`` failed tries (exponential, capped)."""
    b = min(config.backoff_cap_s, config.backoff_base_s * 2.0 ** (attempt - 1))
    if config.jitter == "full":
        return b * u
    if config.jitter == "equal":
        return b / 2 + b / 2 * u
    return b
