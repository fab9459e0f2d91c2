"""The fault engine: which faults are active now, and what they do to one request or webhook.

It is pure (no HTTP, no database): ``mocks.core`` applies its decisions to requests and
shares runtime faults between workers; the POS webhook sender asks ``webhook_action``.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from domain.clock import RunClock
from mocks.faults.spec import HTTP_KINDS, FaultKind, FaultSpec, OutageMode, parse_fault
from mocks.faults.timeline import ScheduledFault, schedule


@dataclass(frozen=True, slots=True)
class HttpDecision:
    """What to do to one request: wait ``delay`` seconds, then answer normally, with
    ``status`` (an injected error), or per ``outage`` (503 / reset / hang); faults with
    ``phase: after`` let the request be processed first."""

    delay: float = 0.0
    status: int | None = None
    outage: OutageMode | None = None
    label: str | None = None
    delay_after: float = 0.0
    status_after: int | None = None
    """``phase: after`` faults: wait, or replace the answer, once the request was processed."""


NO_FAULT = HttpDecision()


@dataclass(frozen=True, slots=True)
class WebhookAction:
    """What to do to one webhook delivery: drop it, send ``copies`` copies, hold it back so
    a later event overtakes it (``reorder``), or wait ``delay`` seconds first."""

    drop: bool = False
    copies: int = 1
    reorder: bool = False
    delay: float = 0.0


class FaultEngine:
    """Active faults of one mock (``target`` = ``"erp"`` or ``"pos"``).

    Example::

        engine = FaultEngine(target="erp", rng=random.Random(7))
        engine.add({"kind": "outage", "for": 30, "mode": "reset"})
        engine.http_decision("/api/v2.0/companies").outage  # OutageMode.RESET
    """

    def __init__(
        self,
        *,
        target: str,
        rng: random.Random,
        clock: RunClock | None = None,
        timeline: Sequence[Mapping[str, Any] | FaultSpec] = (),
        now: Callable[[], float] = time.time,
    ) -> None:
        self.target = target
        self._rng = rng
        self._now = now
        self._timeline_specs = [
            parse_fault(f, where=f"faults[{i}]") for i, f in enumerate(timeline)
        ]
        self._clock = clock
        self._timeline: list[ScheduledFault] = []
        self._runtime: list[ScheduledFault] = []
        self._ids = itertools.count(1)
        self.set_clock(clock or RunClock(now(), 1.0, _epoch_start(now())))

    @property
    def clock(self) -> RunClock:
        """The run's clock: the scenario's simulated time ↔ wall time (has a ``start``)."""
        assert self._clock is not None
        return self._clock

    def set_clock(self, clock: RunClock) -> None:
        """Re-anchor the scenario timeline (e.g. when the harness starts the run)."""
        self._clock = clock
        self._timeline = [f for f in schedule(self._timeline_specs, clock) if self._mine(f.spec)]

    def add(
        self, raw: Mapping[str, Any] | FaultSpec, *, fault_id: str | None = None
    ) -> ScheduledFault:
        """Activate a fault now; its ``for`` counts wall seconds. Returns it with its id."""
        spec = parse_fault(raw, where="fault")
        start = self._now()
        duration = spec.duration
        fault = ScheduledFault(
            fault_id or f"r{next(self._ids)}",
            spec,
            start,
            None if duration is None else start + duration,
            source="runtime",
        )
        self._runtime.append(fault)
        return fault

    def set_runtime(self, faults: Sequence[ScheduledFault]) -> None:
        """Replace the runtime faults (used to share them between workers)."""
        self._runtime = [f for f in faults if self._mine(f.spec)]

    def remove(self, fault_id: str) -> bool:
        """Deactivate a runtime fault; False when no such id."""
        before = len(self._runtime)
        self._runtime = [f for f in self._runtime if f.id != fault_id]
        return len(self._runtime) != before

    def clear(self) -> None:
        """Remove every runtime fault (the timeline stays)."""
        self._runtime = []

    @property
    def runtime(self) -> list[ScheduledFault]:
        """Runtime faults, active or not."""
        return list(self._runtime)

    def scheduled(self) -> list[ScheduledFault]:
        """Every fault known, timeline first."""
        return [*self._timeline, *self._runtime]

    def active(self, now: float | None = None) -> list[ScheduledFault]:
        """Faults active at wall time ``now`` (default: the current time)."""
        wall = self._now() if now is None else now
        return [f for f in (*self._timeline, *self._runtime) if f.active_at(wall)]

    def http_decision(self, path: str, *, now: float | None = None) -> HttpDecision:
        """Decide the fate of one request to ``path``."""
        if not self._timeline and not self._runtime:
            return NO_FAULT
        delay = delay_after = 0.0
        status: int | None = None
        status_after: int | None = None
        outage: OutageMode | None = None
        labels: list[str] = []
        for fault in self.active(now):
            spec = fault.spec
            if spec.kind not in HTTP_KINDS:
                continue
            if spec.kind is FaultKind.RATE_LIMIT and spec.factor is not None:
                continue
            if spec.paths and not path.startswith(spec.paths):
                continue
            if spec.share < 1.0 and self._rng.random() >= spec.share:
                continue
            if spec.kind is FaultKind.OUTAGE:
                outage = outage or spec.mode
            elif spec.kind is FaultKind.ERROR and spec.phase == "after":
                status_after = status_after or spec.status or 500
            elif spec.kind is FaultKind.ERROR:
                status = status or spec.status or 500
            elif spec.kind is FaultKind.RATE_LIMIT:
                status = status or spec.status or 429
            elif spec.phase == "after":
                delay_after += spec.latency_model.sample(self._rng)
            else:
                delay += spec.latency_model.sample(self._rng)
            labels.append(f"{spec.kind.value}:{fault.id}")
        if not labels:
            return NO_FAULT
        return HttpDecision(delay, status, outage, ",".join(labels), delay_after, status_after)

    def rate_limit_factor(self, *, now: float | None = None) -> float:
        """Multiplier (≤ 1) on request-window limits from active ``rate_limit`` faults."""
        factor = 1.0
        for fault in self.active(now):
            if fault.spec.kind is FaultKind.RATE_LIMIT and fault.spec.factor is not None:
                factor = min(factor, fault.spec.factor)
        return factor

    def webhook_action(self, *, now: float | None = None) -> WebhookAction:
        """Decide the fate of one webhook delivery."""
        drop = reorder = False
        copies = 1
        delay = 0.0
        for fault in self.active(now):
            spec = fault.spec
            if spec.share < 1.0 and self._rng.random() >= spec.share:
                continue
            if spec.kind is FaultKind.DROP:
                drop = True
            elif spec.kind is FaultKind.DUPLICATE:
                copies = 2
            elif spec.kind is FaultKind.REORDER:
                reorder = True
            elif spec.kind is FaultKind.DELAY:
                delay += spec.delay_seconds
        return WebhookAction(drop, copies, reorder, delay)

    def _mine(self, spec: FaultSpec) -> bool:
        return spec.mock in ("*", self.target)


def _epoch_start(wall: float) -> datetime:
    return datetime.fromtimestamp(wall, UTC).replace(tzinfo=None)
