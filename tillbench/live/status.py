"""What a live run reports while it runs (the CLI draws it; tests may record it)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

__all__ = ["LiveStatus", "ProgressFn"]


@dataclasses.dataclass(frozen=True, slots=True)
class LiveStatus:
    """A snapshot of the run: phase, simulated clock, traffic and convergence."""

    phase: str
    """starting | traffic | quiesce | collect | verify | done, or ``event``: something that
    happened (``message``, e.g. the connector exited), said once and kept in the log"""
    message: str = ""
    sim_t: float = 0.0
    sim_end_t: float = 0.0
    clock_text: str = ""
    sent: int = 0
    due: int = 0
    sales_per_s: float = 0.0
    max_lag_s: float = 0.0
    backlog: float | None = None
    drift_units: float | None = None
    pairs_off: int | None = None


ProgressFn = Callable[[LiveStatus], None]
