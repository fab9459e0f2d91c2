"""The run's timeline: traffic, fault windows and the connector's unexpected exits, in the
order they happened on the simulated clock (store local time)."""

from __future__ import annotations

import math

import pandas as pd

from reports._exits import exit_status
from reports.charts.series import RunData

__all__ = ["timeline_rows"]

Row = tuple[str, str]


def timeline_rows(data: RunData) -> list[Row]:
    """(when, what) rows; empty for a run without a clock of events (a sweep, traffic)."""
    run = data.run
    if run.kind in {"sweep", "traffic"}:
        return []
    events: list[tuple[float, int, str]] = [(0.0, 0, "traffic starts")]
    faults = data.faults
    for name, target, kind, begin, end in zip(
        faults["id"],
        faults["target"],
        faults["kind"],
        faults["start_t"].astype("float64"),
        faults["end_t"].astype("float64"),
        strict=True,
    ):
        what = f"fault {name}: {target} {kind}"
        events.append((float(begin), 1, f"{what} begins"))
        events.append((float(end), 1, f"{what} ends"))
    unknown = []
    for found in run.meta.exits():
        restarted = "restarted by the harness" if found.restarted else "not restarted"
        what = f"the connector exited with {exit_status(found.code)}, {restarted}"
        if found.t is None:
            unknown.append(("time not recorded", what))
        else:
            events.append((found.t, 2, what))
    if run.meta.traffic_end_t is not None:
        events.append((run.meta.traffic_end_t, 3, "traffic ends"))
    if run.meta.quiesce_end_t is not None:
        events.append((run.meta.quiesce_end_t, 4, "the harness stops waiting (quiesce ends)"))
    if len(events) == 1 and not unknown:
        return []
    rows = [(_when(run.start, t), what) for t, _, what in sorted(events)]
    return rows + unknown


def _when(start: pd.Timestamp, t: float) -> str:
    if not math.isfinite(t):
        return "—"
    stamp = start + pd.Timedelta(seconds=t)
    return f"{stamp.strftime('%H:%M:%S')} (t={t:,.0f} s)"
