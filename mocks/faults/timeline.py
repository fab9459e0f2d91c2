"""The fault timeline: a scenario's ``at`` (``"12:00"``, ``"d2 09:30"``, ``"+2h"``, an ISO
datetime) resolved to a simulated datetime, and faults placed in wall time through the
run's clock (``domain.clock.RunClock``), from the scenario timeline or the admin API."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from domain.clock import RunClock
from mocks.faults.durations import parse_duration
from mocks.faults.errors import FaultError
from mocks.faults.spec import FaultSpec, parse_fault

_CLOCK_TIME = re.compile(r"^(?:d(\d+)\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?$")


@dataclass(frozen=True, slots=True)
class ScheduledFault:
    """``spec`` is active for wall times in [``start``, ``end``); ``end`` None = open-ended."""

    id: str
    spec: FaultSpec
    start: float
    end: float | None
    source: str = "timeline"

    def active_at(self, wall: float) -> bool:
        """True when the fault applies at wall time ``wall``."""
        return self.start <= wall and (self.end is None or wall < self.end)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view for the admin API."""
        return {
            "id": self.id,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "spec": self.spec.model_dump(mode="json", by_alias=True, exclude_defaults=True),
        }


def schedule(
    faults: Sequence[Mapping[str, Any] | FaultSpec], clock: RunClock
) -> list[ScheduledFault]:
    """Place a scenario's ``faults`` list on the wall clock (``at``/``for`` in simulated
    time; ``clock`` needs the scenario's ``start``)."""
    out: list[ScheduledFault] = []
    for index, raw in enumerate(faults):
        if clock.start is None:
            raise FaultError("clock.start", None, "a fault timeline needs the scenario's start")
        spec = parse_fault(raw, where=f"faults[{index}]")
        begin = resolve(spec.at, clock.start, field=f"faults[{index}].at")
        duration = spec.duration
        end = None if duration is None else clock.wall_of(begin + timedelta(seconds=duration))
        out.append(ScheduledFault(f"t{index}", spec, clock.wall_of(begin), end))
    return out


def resolve(at: str | float | None, start: datetime, *, field: str = "at") -> datetime:
    """Simulated time of a timeline ``at``, for a run starting at ``start``: None (the
    start), an offset (``"+2h"``, ``"5h"``, seconds), ``"HH:MM"`` (first day; the next day
    if before the start), ``"d2 12:00"`` (day 2) or an ISO datetime."""
    if at is None:
        return start
    if isinstance(at, int | float) and not isinstance(at, bool):
        return start + timedelta(seconds=parse_duration(at, field=field))
    if not isinstance(at, str):
        raise FaultError(field, at, "must be 'HH:MM', an ISO datetime or an offset like '5h'")
    text = at.strip()
    match = _CLOCK_TIME.match(text)
    if match:
        hour, minute, second = int(match[2]), int(match[3]), int(match[4] or 0)
        if hour > 23 or minute > 59 or second > 59:
            raise FaultError(field, at, "must be a valid time of day 'HH:MM'")
        moment = start.replace(hour=hour, minute=minute, second=second, microsecond=0)
        if match[1] is not None:
            day = int(match[1])
            if day < 1:
                raise FaultError(field, at, "days count from d1")
            return moment + timedelta(days=day - 1)
        return moment if moment >= start else moment + timedelta(days=1)
    if "T" in text or "-" in text[1:]:
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise FaultError(field, at, "must be an ISO datetime") from None
        if (moment.tzinfo is None) != (start.tzinfo is None):
            moment = moment.replace(tzinfo=start.tzinfo)
        return moment
    return start + timedelta(seconds=parse_duration(text.lstrip("+"), field=field))
