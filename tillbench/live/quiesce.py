"""After the last transaction: keep sampling until the systems agree, within a bound.

Converged means two sampling rounds in a row where ERP stock equals POS stock for every
store×SKU, the connector's backlog (when it reports one) is 0 and every ERP price change
has reached the POS catalogue. The bound is
``slo.converge_within × 2`` of simulated time after the traffic ends.
"""

from __future__ import annotations

import asyncio
import time

from domain.clock import RunClock
from tillbench.live.sampler import Sampler

__all__ = ["quiesce"]

STABLE_ROUNDS = 2


async def quiesce(sampler: Sampler, *, clock: RunClock, bound_t: float) -> tuple[float, bool]:
    """Wait for convergence or ``bound_t`` simulated seconds; returns (end t, converged)."""
    deadline = time.time() + bound_t / clock.speed
    stable = 0
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            return clock.now_t(), False
        try:
            sample = await asyncio.wait_for(sampler.next_sample(), timeout=remaining)
        except TimeoutError:
            return clock.now_t(), False
        stable = stable + 1 if sample.converged else 0
        if stable >= STABLE_ROUNDS:
            return sample.t, True
