"""The scenario's fault timeline as the capacity model sees it.

Faults hit the ERP (at each request: outage → 503 at once, ``rate_limit`` → 429 at once,
``errors`` → the status after the service time, ``latency`` → slower service), the
connector (``outage``: it sends nothing until the end) or the way sales reach the connector
(`visible_at`: ``pos`` outages and ``connector`` outages hold webhooks until the end, a
``store:<n>`` ``offline`` window holds that store's sales, ``pos.webhooks`` ``delay`` adds
its latency, ``drop`` loses the webhook until the connector's next reconciliation, and
``duplicate`` delivers it twice). ``reorder`` changes nothing here: the model has no
ordering between documents to break.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["ErpHit", "FaultWindow", "FaultWindows"]

F64 = NDArray[np.float64]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class FaultWindow:
    """One fault on the simulated clock (seconds since the scenario start)."""

    id: int
    target: str
    kind: str
    start_t: float
    end_t: float
    share: float = 1.0
    latency_s: float | None = None
    status: int | None = None
    store: int | None = None
    """0-based store index of a ``store:<n>`` target."""

    def params(self) -> str:
        """The fault's parameters as a JSON string (the ``params`` column)."""
        fields = {"rate": self.share, "latency_s": self.latency_s, "status": self.status}
        return json.dumps({k: v for k, v in fields.items() if v is not None}, sort_keys=True)


@dataclasses.dataclass(frozen=True, slots=True)
class ErpHit:
    """What the ERP's faults do to one request."""

    status: int = 0
    """0: none; 503/429: refused at once; other: fails after the service time."""
    extra_s: float = 0.0
    retry_after_s: float = 0.0


_NONE = ErpHit()


@dataclasses.dataclass(frozen=True, slots=True)
class FaultWindows:
    """All fault windows, with the lookups the engines need."""

    windows: tuple[FaultWindow, ...] = ()

    @classmethod
    def from_scenario(cls, scenario: Any) -> FaultWindows:
        out = []
        for i, f in enumerate(scenario.faults):
            store = f.store
            out.append(
                FaultWindow(
                    id=i + 1,
                    target=f.target,
                    kind=f.kind,
                    start_t=f.start.total_seconds(),
                    end_t=f.end.total_seconds(),
                    share=float(f.share),
                    latency_s=None if f.latency is None else f.latency.total_seconds(),
                    status=f.status_code,
                    store=None if store is None else store - 1,
                )
            )
        return cls(tuple(out))

    def of(self, target: str, *kinds: str) -> list[FaultWindow]:
        return [w for w in self.windows if w.target == target and w.kind in kinds]

    def erp(self, t: float, u: float) -> ErpHit:
        """The ERP faults on a request arriving at ``t``; ``u`` is its uniform draw."""
        extra = 0.0
        for w in self.windows:
            if w.target != "erp" or not w.start_t <= t < w.end_t:
                continue
            if w.kind == "outage":
                return ErpHit(503)
            if u >= w.share:
                continue
            if w.kind == "rate_limit":
                return ErpHit(w.status or 429, retry_after_s=1.0)
            if w.kind == "errors":
                return ErpHit(w.status or 500, extra)
            if w.kind == "latency" and w.latency_s is not None:
                extra += w.latency_s
        return ErpHit(0, extra) if extra else _NONE

    def connector_up_at(self, t: float) -> float:
        """The first time ≥ ``t`` at which the connector is not in an outage."""
        moved = True
        while moved:
            moved = False
            for w in self.windows:
                if w.target == "connector" and w.kind == "outage" and w.start_t <= t < w.end_t:
                    t, moved = w.end_t, True
        return t

    def visible_at(
        self,
        ready: F64,
        store: NDArray[np.int64],
        u: F64,
        *,
        reconcile_s: float,
    ) -> tuple[F64, NDArray[np.bool_]]:
        """When each sale reaches the connector, and which ones arrive twice.

        ``ready`` is completion + normal webhook delay; ``u`` uniform draws per sale.
        """
        sent = ready
        ready = ready.copy()
        for w in self.windows:
            inside = (sent >= w.start_t) & (sent < w.end_t)
            if w.target == "pos.webhooks" and w.kind == "delay" and w.latency_s is not None:
                ready[inside & (u < w.share)] += w.latency_s
            elif w.target == "pos.webhooks" and w.kind == "drop":
                hit = inside & (u < w.share)
                ready[hit] = (np.floor(ready[hit] / reconcile_s) + 1) * reconcile_s
        for w in self.windows:
            if (w.target in ("pos", "pos.webhooks", "connector") and w.kind == "outage") or (
                w.kind == "offline" and w.store is not None
            ):
                held = (ready >= w.start_t) & (ready < w.end_t)
                if w.kind == "offline":
                    held &= store == w.store
                ready[held] = w.end_t
        duplicate = np.zeros(len(ready), dtype=np.bool_)
        for w in self.of("pos.webhooks", "duplicate"):
            inside = (sent >= w.start_t) & (sent < w.end_t)
            duplicate |= inside & (u < w.share)
        return ready, duplicate
