"""Faults as context managers: the fault is on inside the ``with`` block and off after it.

::

    with erp.outage():                       # every ERP request answers 503
        ...
    with erp.outage(mode="reset", paths=("/api/v2.0/companies",)):
        ...
    with pos.webhooks.duplicate(0.3):        # 30 % of webhook deliveries sent twice
        ...
    with erp.errors(0.5, status=500, phase="after"):   # committed, then a 500
        ...
    with erp.outage(for_="5m", clock="sim"): # ends by itself after 5 simulated minutes
        ...

A fault is started through the mock's admin API (``POST /admin/faults``) when the block
is entered and removed when it is left (also on an exception). ``for_`` bounds it in time
as well: on the ``wall`` clock (seconds, or ``"30s"``), or on the ``sim`` clock — simulated
time at the mock's scenario speed, as a scenario's fault timeline counts (``"5m"`` at
speed 60 lasts five wall seconds). HTTP latencies are always wall time (a round trip
cannot be compressed); a webhook ``delay`` follows ``clock`` like ``for_``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from types import TracebackType
from typing import Any, Literal

from tillbench.testing.admin import ActiveFault, Admin
from tillbench.testing.errors import SetupError

__all__ = ["Clock", "Fault", "FaultMaker", "WebhookFaults"]

Clock = Literal["wall", "sim"]
Duration = str | float | int | None


class Fault:
    """One fault on one mock, started by `start` (or entering ``with``), stopped by `stop`."""

    def __init__(self, admin: Admin, spec: dict[str, Any]) -> None:
        self._admin = admin
        self.spec = spec
        self.active_fault: ActiveFault | None = None

    @property
    def id(self) -> str | None:
        return None if self.active_fault is None else self.active_fault.id

    def start(self) -> Fault:
        if self.active_fault is not None:
            raise SetupError(f"the fault {self.spec} is already on")
        self.active_fault = self._admin.faults.add(self.spec)
        return self

    def stop(self) -> None:
        """Remove it (a no-op once stopped)."""
        if self.active_fault is not None:
            self._admin.faults.remove(self.active_fault.id)
            self.active_fault = None

    @property
    def active(self) -> bool:
        """Whether it is on now (started, not stopped, its ``for`` not yet over)."""
        return self.active_fault is not None and self.active_fault.active_at(time.time())

    def __enter__(self) -> Fault:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "on" if self.active else "off"
        return f"<Fault {self.spec} {state}>"


def _seconds(value: Duration, field: str) -> float | None:
    from mocks.faults import FaultError, parse_duration

    if value is None:
        return None
    try:
        return float(parse_duration(value, field=field))
    except FaultError as exc:
        raise SetupError(str(exc)) from None


class FaultMaker:
    """The HTTP faults of one mock (``target`` ``pos`` or ``erp``); `speed` reads the mock's
    clock for durations on the simulated clock."""

    def __init__(self, admin: Admin, target: str, *, paths: Sequence[str] = ()) -> None:
        self._admin = admin
        self._target = target
        self._paths = tuple(paths)

    def wall_seconds(self, value: Duration, clock: Clock, field: str) -> float | None:
        """``value`` (seconds or ``"5m"``) on ``clock`` in wall seconds (the mock's speed
        converts simulated time)."""
        if clock not in ("wall", "sim"):
            raise SetupError(f"clock: expected 'wall' or 'sim', got {clock!r}")
        seconds = _seconds(value, field)
        if seconds is None or clock == "wall":
            return seconds
        return seconds / self._admin.clock.get().speed

    def make(
        self,
        kind: str,
        *,
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
        **fields: Any,
    ) -> Fault:
        """A fault of ``kind`` with the mock's fields (`FaultSpec` of ``mocks.faults``)."""
        spec: dict[str, Any] = {"kind": kind, "target": self._target}
        wall = self.wall_seconds(for_, clock, "for")
        if wall is not None:
            spec["for"] = wall
        chosen = self._paths if paths is None else tuple(paths)
        if chosen:
            spec["paths"] = list(chosen)
        spec.update({k: v for k, v in fields.items() if v is not None})
        return Fault(self._admin, spec)

    def outage(
        self,
        *,
        mode: Literal["503", "reset", "hang"] = "503",
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """Every request fails: a 503, a TCP reset, or no answer until the client gives up."""
        return self.make("outage", mode=mode, for_=for_, clock=clock, paths=paths)

    def errors(
        self,
        rate: float = 1.0,
        *,
        status: int = 500,
        phase: Literal["before", "after"] = "before",
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """A share of requests answers ``status``; ``phase="after"``: the request was
        processed and committed first (the client sees an error for a write that happened)."""
        return self.make(
            "error", rate=rate, status=status, phase=phase, for_=for_, clock=clock, paths=paths
        )

    def latency(
        self,
        latency: str | float | dict[str, str | float],
        *,
        rate: float | None = None,
        phase: Literal["before", "after"] = "before",
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """Slow answers: ``"200ms"`` fixed or ``{"median": "100ms", "p99": "2s"}``."""
        return self.make(
            "latency",
            latency=latency,
            rate=rate,
            phase=phase,
            for_=for_,
            clock=clock,
            paths=paths,
        )

    def rate_limit(
        self,
        rate: float | None = None,
        *,
        status: int = 429,
        factor: float | None = None,
        for_: Duration = None,
        clock: Clock = "wall",
        paths: Sequence[str] | None = None,
    ) -> Fault:
        """``rate`` of requests answered ``status`` with ``Retry-After``; or, with
        ``factor``, the mock's own request window shrunk by that factor."""
        return self.make(
            "rate_limit",
            rate=rate,
            status=status if factor is None else None,
            factor=factor,
            for_=for_,
            clock=clock,
            paths=paths,
        )


class WebhookFaults:
    """The POS's webhook faults (``pos.webhooks``): duplicates, drops, reordering, delays."""

    def __init__(self, admin: Admin) -> None:
        self._maker = FaultMaker(admin, "pos.webhooks")
        self._make = self._maker.make

    def duplicate(
        self, rate: float = 1.0, *, for_: Duration = None, clock: Clock = "wall"
    ) -> Fault:
        """A share of deliveries is sent twice (Square delivers at least once)."""
        return self._make("duplicate", rate=rate, for_=for_, clock=clock)

    def drop(self, rate: float = 1.0, *, for_: Duration = None, clock: Clock = "wall") -> Fault:
        """A share of deliveries is never sent (the connector must poll to catch up)."""
        return self._make("drop", rate=rate, for_=for_, clock=clock)

    def reorder(self, rate: float = 1.0, *, for_: Duration = None, clock: Clock = "wall") -> Fault:
        """A share of deliveries is held back so a later event overtakes it."""
        return self._make("reorder", rate=rate, for_=for_, clock=clock)

    def delay(
        self,
        delay: str | float,
        *,
        rate: float | None = None,
        for_: Duration = None,
        clock: Clock = "wall",
    ) -> Fault:
        """Deliveries wait ``delay`` first (on ``clock``, like ``for_``)."""
        return self._make(
            "delay",
            delay=self._maker.wall_seconds(delay, clock, "delay"),
            rate=rate,
            for_=for_,
            clock=clock,
        )
