"""The run's clock: simulated seconds since the scenario start ↔ wall time (epoch seconds).

``t = (wall − wall_origin) × speed``: at speed X a wall second is X simulated seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

__all__ = ["RunClock", "epoch"]


def epoch(text: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 time (``Z`` or offset; naive = UTC); None for empty."""
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


@dataclasses.dataclass(frozen=True, slots=True)
class RunClock:
    """Simulated t = 0 happens at ``wall_origin``; ``speed`` simulated seconds per wall second."""

    wall_origin: float
    speed: float

    def wall_at(self, t: float) -> float:
        """Epoch seconds at which simulated time ``t`` falls due."""
        return self.wall_origin + t / self.speed

    def t_at(self, wall: float) -> float:
        """Simulated seconds at wall time ``wall``."""
        return (wall - self.wall_origin) * self.speed

    def now_t(self) -> float:
        """Simulated seconds now."""
        return self.t_at(time.time())
