"""A fault placed in wall time, from the scenario timeline or from the admin API."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from mocks.faults.clock import SimClock
from mocks.faults.spec import FaultSpec, parse_fault


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
    faults: Sequence[Mapping[str, Any] | FaultSpec], clock: SimClock
) -> list[ScheduledFault]:
    """Place a scenario's ``faults`` list on the wall clock (``at``/``for`` in sim time)."""
    out: list[ScheduledFault] = []
    for index, raw in enumerate(faults):
        spec = parse_fault(raw, where=f"faults[{index}]")
        begin = clock.resolve(spec.at, field=f"faults[{index}].at")
        duration = spec.duration
        end = None if duration is None else clock.wall_at(begin + timedelta(seconds=duration))
        out.append(ScheduledFault(f"t{index}", spec, clock.wall_at(begin), end))
    return out
