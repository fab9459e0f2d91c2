"""The connector's unexpected exits (``run.json`` ``connector_exits``), set against what went
missing after each.

The harness records an exit it did not ask for (not the SIGTERM at the end, not a planned
crash fault): when, the exit status and whether it started the connector again. For each,
verification counts the POS transactions completed after it and, of those, the missing
ones: a connector that died and was not restarted explains them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from numpy.typing import NDArray

from domain.rundir import RunMeta
from domain.rundir.meta import ConnectorExit
from reports._verdict import ConnectorExitEvent

__all__ = ["connector_exits", "exit_status", "start_of"]


def start_of(scenario: Any, meta: RunMeta) -> dt.datetime | None:
    """The scenario start (t = 0, store local time), None when unknown or unreadable."""
    value = scenario.get("start") if hasattr(scenario, "get") else None
    value = value or meta.sim_start
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def connector_exits(
    meta: RunMeta,
    *,
    start: dt.datetime | None,
    t: NDArray[np.float64],
    missing: NDArray[np.bool_],
) -> list[ConnectorExitEvent]:
    """Each recorded exit with its time in words and the transactions missing after it."""
    events = []
    for found in meta.exits():
        after = None if found.t is None else t >= found.t
        events.append(
            ConnectorExitEvent(
                code=found.code,
                t=found.t,
                wall=found.wall,
                restarted=found.restarted,
                at=_at(found.t, found.wall, start),
                missing_after=None if after is None else int((after & missing).sum()),
                completed_after=None if after is None else int(after.sum()),
            )
        )
    return events


def exit_status(code: int) -> str:
    """``code 3``, ``signal 9 (SIGKILL)``."""
    return ConnectorExit(code=code, t=None, wall=None, restarted=False).describe()


def _at(t: float | None, wall: float | None, start: dt.datetime | None) -> str:
    if t is None:
        if wall is None:
            return "an unrecorded time"
        stamp = dt.datetime.fromtimestamp(wall, dt.UTC).strftime("%H:%M:%S UTC")
        return f"{stamp} (wall clock)"
    if start is None:
        return f"t={t:.0f} s"
    return f"{(start + dt.timedelta(seconds=t)).strftime('%H:%M:%S')} (t={t:.0f} s)"
