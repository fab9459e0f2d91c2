"""Share runtime faults and the simulated clock between workers through the database.

Each worker reloads them at most every ``interval`` seconds, so a fault set through the
admin API of one worker reaches the others within that interval. The clock is the run's
one clock (``domain.clock.RunClock``), stored with its scenario ``start``.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from domain.clock import RunClock
from mocks.core.db import Database
from mocks.core.tables import faults_table, meta_table
from mocks.faults import FaultEngine, FaultSpec, ScheduledFault, parse_fault

_CLOCK_KEY = "clock"


class FaultSync:
    """Keeps one worker's ``FaultEngine`` in step with the shared database."""

    def __init__(
        self,
        db: Database,
        engine: FaultEngine,
        *,
        interval: float = 0.5,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.db = db
        self.engine = engine
        self.interval = interval
        self._now = now
        self._last = 0.0

    def init_clock(self, *, start: datetime | None, speed: float) -> None:
        """Store the run's clock unless another worker (or a previous life) already did."""
        clock = RunClock(self._now(), speed, start or self.engine.clock.start)
        with self.db.begin() as conn:
            stmt = self.db.upsert(meta_table).values(key=_CLOCK_KEY, value=_clock_json(clock))
            conn.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))
        self.reload()

    def set_clock(self, clock: RunClock) -> None:
        """Re-anchor the timeline for every worker."""
        with self.db.begin() as conn:
            stmt = self.db.upsert(meta_table).values(key=_CLOCK_KEY, value=_clock_json(clock))
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["key"], set_={"value": stmt.excluded.value}
                )
            )
        self.reload()

    def maybe_reload(self, now: float) -> None:
        """Reload when the last reload is older than ``interval``."""
        if now - self._last >= self.interval:
            self.reload()

    def reload(self) -> None:
        """Read clock and runtime faults from the database into the engine."""
        self._last = self._now()
        with self.db.begin() as conn:
            clock_row = conn.execute(
                select(meta_table.c.value).where(meta_table.c.key == _CLOCK_KEY)
            ).scalar_one_or_none()
            rows = conn.execute(select(faults_table).order_by(faults_table.c.start)).all()
        if clock_row is not None:
            clock = _clock_from_json(clock_row)
            if clock != self.engine.clock:
                self.engine.set_clock(clock)
        faults = [
            ScheduledFault(
                r.id, FaultSpec.model_validate(json.loads(r.spec)), r.start, r.end, "runtime"
            )
            for r in rows
        ]
        self.engine.set_runtime(faults)

    def add(self, raw: Mapping[str, Any]) -> ScheduledFault:
        """Validate and activate a runtime fault for every worker."""
        spec = parse_fault(raw, where="fault")
        fault = self.engine.add(spec, fault_id=uuid.uuid4().hex[:12])
        with self.db.begin() as conn:
            conn.execute(
                faults_table.insert().values(
                    id=fault.id,
                    spec=spec.model_dump_json(by_alias=True, exclude_defaults=True),
                    start=fault.start,
                    end=fault.end,
                )
            )
        self.reload()
        return fault

    def remove(self, fault_id: str) -> bool:
        """Deactivate one runtime fault; False when unknown."""
        with self.db.begin() as conn:
            gone = conn.execute(delete(faults_table).where(faults_table.c.id == fault_id)).rowcount
        self.reload()
        return bool(gone)

    def clear(self) -> None:
        """Remove every runtime fault."""
        with self.db.begin() as conn:
            conn.execute(delete(faults_table))
        self.reload()


def _clock_json(clock: RunClock) -> str:
    start = None if clock.start is None else clock.start.isoformat()
    return json.dumps({"start": start, "speed": clock.speed, "wall_origin": clock.wall_origin})


def _clock_from_json(text: str) -> RunClock:
    data = json.loads(text)
    start = None if data["start"] is None else datetime.fromisoformat(data["start"])
    return RunClock(data["wall_origin"], float(data["speed"]), start)
