"""Simulated clock: maps scenario time to wall time through ``speed``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from mocks.faults.durations import parse_duration
from mocks.faults.errors import FaultError

_CLOCK_TIME = re.compile(r"^(?:d(\d+)\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class SimClock:
    """Simulated time ``start`` happens at wall time ``wall_origin`` (epoch seconds);
    ``speed`` simulated seconds pass per wall second."""

    start: datetime
    speed: float
    wall_origin: float

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise FaultError("speed", self.speed, "must be > 0")

    def sim_at(self, wall: float) -> datetime:
        """Simulated time at wall time ``wall``."""
        return self.start + timedelta(seconds=(wall - self.wall_origin) * self.speed)

    def wall_at(self, sim: datetime) -> float:
        """Wall time (epoch seconds) at which simulated time ``sim`` happens."""
        return self.wall_origin + (sim - self.start).total_seconds() / self.speed

    def resolve(self, at: str | float | None, *, field: str = "at") -> datetime:
        """Simulated time of a timeline ``at``: None (start), an offset (``"+2h"``, ``"5h"``,
        seconds), ``"HH:MM"`` (first day; the next day if before the start), ``"d2 12:00"``
        (day 2) or an ISO datetime."""
        if at is None:
            return self.start
        if isinstance(at, int | float) and not isinstance(at, bool):
            return self.start + timedelta(seconds=parse_duration(at, field=field))
        if not isinstance(at, str):
            raise FaultError(field, at, "must be 'HH:MM', an ISO datetime or an offset like '5h'")
        text = at.strip()
        match = _CLOCK_TIME.match(text)
        if match:
            hour, minute, second = int(match[2]), int(match[3]), int(match[4] or 0)
            if hour > 23 or minute > 59 or second > 59:
                raise FaultError(field, at, "must be a valid time of day 'HH:MM'")
            moment = self.start.replace(hour=hour, minute=minute, second=second, microsecond=0)
            if match[1] is not None:
                day = int(match[1])
                if day < 1:
                    raise FaultError(field, at, "days count from d1")
                return moment + timedelta(days=day - 1)
            return moment if moment >= self.start else moment + timedelta(days=1)
        if "T" in text or "-" in text[1:]:
            try:
                moment = datetime.fromisoformat(text)
            except ValueError:
                raise FaultError(field, at, "must be an ISO datetime") from None
            if (moment.tzinfo is None) != (self.start.tzinfo is None):
                moment = moment.replace(tzinfo=self.start.tzinfo)
            return moment
        return self.start + timedelta(seconds=parse_duration(text.lstrip("+"), field=field))
