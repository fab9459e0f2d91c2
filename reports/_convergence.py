"""Convergence: after traffic or a fault stops, how long until integration drift settles.

After traffic stops (run.json ``traffic_end_t``) drift must reach 0. A fault that ends
while traffic still runs is settled once drift is back within its normal range before the
fault (at most the 90th percentile of the drift sums sampled before it, outside any fault
window): in a live run sales are always in flight, so drift rarely reads exactly 0 then.
Only samples where every pair was readable count (during an ERP outage the ERP's stock
cannot be read, which is not zero drift). Times are simulated seconds; the answer is as
fine as the sampling interval.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa

from reports._arrow import floats, strings
from reports._verdict import ConvergenceEvent, DriftPoint

__all__ = ["convergence"]


def convergence(
    series: list[DriftPoint], *, traffic_end_t: float | None, faults: pa.Table | None
) -> list[ConvergenceEvent]:
    """One event for the end of traffic and one per fault window, in time order."""
    readable = np.array([p.unreadable == 0 for p in series], dtype=bool)
    t = np.array([p.t for p in series], dtype=np.float64)[readable]
    level = np.array([p.sum_abs for p in series], dtype=np.float64)[readable]
    events: list[ConvergenceEvent] = []
    if faults is not None and faults.num_rows:
        ids = strings(faults, "id").to_pylist()
        kinds = strings(faults, "kind").to_pylist()
        targets = strings(faults, "target").to_pylist()
        starts = floats(faults, "start_t")
        ends = floats(faults, "end_t")
        quiet = np.ones(len(t), dtype=bool)
        for start, end in zip(starts, ends, strict=True):
            quiet &= ~((t >= start) & (t <= np.nan_to_num(end, nan=np.inf)))
        for fid, kind, target, start, end in zip(ids, kinds, targets, starts, ends, strict=True):
            if np.isnan(end):
                continue
            during_traffic = traffic_end_t is None or end < traffic_end_t
            before = level[(t < start) & quiet]
            normal = float(np.percentile(before, 90)) if during_traffic and len(before) else 0.0
            event = _settle(f"fault {fid} ({target} {kind})", end, normal, t, level)
            events.append(dataclasses.replace(event, start_t=float(start)))
    if traffic_end_t is not None:
        events.append(_settle("traffic end", traffic_end_t, 0.0, t, level))
    return sorted(events, key=lambda e: e.end_t)


def _settle(
    after: str, end_t: float, target: float, t: np.ndarray, level: np.ndarray
) -> ConvergenceEvent:
    settled = np.flatnonzero((t >= end_t) & (level <= target + 1e-9))
    if not len(settled):
        return ConvergenceEvent(after, float(end_t), None, None, target)
    at = float(t[settled[0]])
    return ConvergenceEvent(after, float(end_t), at, at - float(end_t), target)
