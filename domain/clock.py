"""The one clock of a run: simulated time ↔ wall time (epoch seconds).

Simulated ``t`` (seconds since the scenario starts) happens at wall time
``wall_origin + t / speed``: at speed X a wall second is X simulated seconds. With the
scenario's ``start`` datetime the same clock also maps wall times to simulated datetimes
(``start + t``) and back, which is what a fault timeline written as ``"12:00"`` needs.

The harness, the driver, the sampler and the mocks' fault engines all read time through
this one class, so "when does simulated 12:00 happen" has one answer in a run.

Example::

    clock = RunClock(wall_origin=1_800_000_000.0, speed=60.0,
                     start=datetime(2026, 11, 27, 7, 0))
    clock.t_at(1_800_000_060.0)                    # 3600.0
    clock.datetime_at(1_800_000_060.0)             # datetime(2026, 11, 27, 8, 0)
    clock.wall_of(datetime(2026, 11, 27, 8, 0))    # 1800000060.0

`epoch` reads the ISO 8601 times APIs answer with (``Z`` or an offset; naive is UTC) as
epoch seconds, the wall side of the clock.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.errors import InvariantError

__all__ = ["RunClock", "epoch"]


def epoch(text: str | None) -> float | None:
    """Epoch seconds of an ISO 8601 time (``Z`` or offset; naive = UTC); None for empty.

    Example::

        epoch("2026-11-29T10:00:00Z") == epoch("2026-11-29T11:00:00+01:00")  # True
    """
    if not text:
        return None
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


@dataclass(frozen=True, slots=True)
class RunClock:
    """Simulated t = 0 (the datetime ``start``, when given) happens at ``wall_origin``;
    ``speed`` simulated seconds pass per wall second."""

    wall_origin: float
    """Epoch seconds at which the run's simulated time 0 happens."""
    speed: float
    """Simulated seconds per wall second (> 0)."""
    start: datetime | None = None
    """The scenario's simulated start (simulated t = 0 as a datetime); None when only
    the float side is used."""

    def __post_init__(self) -> None:
        if not self.speed > 0:
            raise InvariantError.got("RunClock.speed", self.speed, "must be > 0")

    def wall_at(self, t: float) -> float:
        """Epoch seconds at which simulated time ``t`` falls due."""
        return self.wall_origin + t / self.speed

    def t_at(self, wall: float) -> float:
        """Simulated seconds at wall time ``wall``."""
        return (wall - self.wall_origin) * self.speed

    def now_t(self) -> float:
        """Simulated seconds now."""
        return self.t_at(time.time())

    def datetime_at(self, wall: float) -> datetime:
        """The simulated datetime at wall time ``wall`` (needs ``start``)."""
        return self._start() + timedelta(seconds=self.t_at(wall))

    def wall_of(self, moment: datetime) -> float:
        """Epoch seconds at which the simulated datetime ``moment`` happens (needs ``start``)."""
        return self.wall_at((moment - self._start()).total_seconds())

    def _start(self) -> datetime:
        if self.start is None:
            raise InvariantError(
                "RunClock.start",
                None,
                "is not set; give the scenario's start to map simulated datetimes",
            )
        return self.start
