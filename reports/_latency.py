"""Sync latency: ERP commit − POS completion per matched document, in sim and wall seconds.

Beside the percentiles over every document (what the SLO judges), the percentiles of the
transactions completed outside every fault window and its recovery are given, so a reader
can tell an outage's backlog from a slow connector.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from reports._verdict import Percentiles, SyncLatency

__all__ = ["sync_latency"]


def sync_latency(
    completed_t: NDArray[np.float64],
    committed_t: NDArray[np.float64],
    *,
    speed: float | None,
    fault_windows: Sequence[tuple[float, float]] = (),
) -> SyncLatency:
    """Percentiles over the transactions with a committed document; wall = sim / speed
    (none for a simulated run, which has no wall clock)."""
    latency = committed_t - completed_t
    known = ~np.isnan(latency)
    quiet = known.copy()
    for start, end in fault_windows:
        quiet &= ~((completed_t >= start) & (completed_t <= end))
    sim = _percentiles(latency[known])
    return SyncLatency(
        count=int(known.sum()),
        speed=speed,
        sim=sim,
        wall=None if sim is None or speed is None else _scaled(sim, 1 / speed),
        outside_faults_count=int(quiet.sum()),
        outside_faults=_percentiles(latency[quiet]),
    )


def _percentiles(values: NDArray[np.float64]) -> Percentiles | None:
    if not len(values):
        return None
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return Percentiles(float(p50), float(p95), float(p99), float(values.max()))


def _scaled(values: Percentiles, factor: float) -> Percentiles:
    return Percentiles(
        values.p50 * factor, values.p95 * factor, values.p99 * factor, values.max * factor
    )
