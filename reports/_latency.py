"""Sync latency: ERP commit − POS completion per matched document, in sim and wall seconds."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from reports._verdict import Percentiles, SyncLatency

__all__ = ["sync_latency"]


def sync_latency(
    completed_t: NDArray[np.float64], committed_t: NDArray[np.float64], *, speed: float
) -> SyncLatency:
    """Percentiles over the transactions with a committed document; wall = sim / speed."""
    latency = committed_t - completed_t
    latency = latency[~np.isnan(latency)]
    if not len(latency):
        return SyncLatency(count=0, speed=speed, sim=None, wall=None)
    p50, p95, p99 = np.percentile(latency, [50, 95, 99])
    sim = Percentiles(float(p50), float(p95), float(p99), float(latency.max()))
    wall = Percentiles(sim.p50 / speed, sim.p95 / speed, sim.p99 / speed, sim.max / speed)
    return SyncLatency(count=len(latency), speed=speed, sim=sim, wall=wall)
