"""The scenario's fault timeline, split by who applies each fault.

- ``erp``, ``pos``, ``pos.webhooks``: the driver activates them on the mock at their
  simulated start (``POST /admin/faults``, ``for`` in wall seconds) and records when the
  mock says it began and ends. (Handing the timeline to the mocks at start-up would let
  early faults fire before the harness anchors the mocks' clock with ``PUT /admin/clock``.)
  Kinds are translated to the mocks' names (``errors`` → ``error``; ``rate_limit``
  without a factor answers its status, 429, with Retry-After). HTTP latencies stay as
  written (a round trip cannot be compressed: at speed X a 2 s response costs 2·X
  simulated seconds);
  webhook ``delay`` is a wait on the timeline and is divided by the speed. POS faults are
  limited to the Square API (``/v2/``) so the driver's ingestion is never faulted.
- ``store:<n>`` ``offline`` (or ``outage``): the driver buffers that store's sales for the
  window and uploads them in a burst at its end.
- ``connector`` ``outage``: the harness kills the connector at the start and restarts it at
  the end (only a connector the harness started).
- ``erp`` faults against an ERP target that takes none (a real ERP, ``erp_faults=False``):
  nobody can inject them, so they are ``not_applicable`` — left out of ``faults.parquet``
  and listed in ``run.json``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from domain.clock import RunClock

__all__ = ["NOT_APPLICABLE", "FaultPlan", "PlannedFault", "plan_faults"]

NOT_APPLICABLE = "not_applicable"

_HTTP_KINDS = {"outage", "latency", "errors", "rate_limit"}
_WEBHOOK_KINDS = {"duplicate", "drop", "reorder", "delay"}


@dataclasses.dataclass(frozen=True, slots=True)
class PlannedFault:
    """One fault of the timeline with the party that applies it."""

    id: str
    target: str
    kind: str
    start_t: float
    end_t: float
    applied_by: str
    """pos | erp | driver | harness | ignored | not_applicable"""
    params: dict[str, Any]
    mock_spec: dict[str, Any] | None = None

    @property
    def store_id(self) -> str | None:
        if self.target.startswith("store:"):
            return f"S{int(self.target.split(':', 1)[1]):04d}"
        return None

    def runtime_spec(self, speed: float) -> dict[str, Any]:
        """The ``POST /admin/faults`` body: starts now, lasts ``for`` wall seconds."""
        assert self.mock_spec is not None
        spec = {k: v for k, v in self.mock_spec.items() if k != "at"}
        spec["for"] = (self.end_t - self.start_t) / speed
        return spec

    def row(self, clock: RunClock, applied: tuple[float, float] | None = None) -> dict[str, Any]:
        """A row of ``faults.parquet``; ``applied`` = (start, end) wall as the mock saw them."""
        start_wall, end_wall = applied or (clock.wall_at(self.start_t), clock.wall_at(self.end_t))
        return {
            "id": self.id,
            "target": self.target,
            "kind": self.kind,
            "start_t": self.start_t,
            "end_t": self.end_t,
            "start_wall": start_wall,
            "end_wall": end_wall,
            "params": json.dumps({**self.params, "applied_by": self.applied_by}, sort_keys=True),
        }


@dataclasses.dataclass(frozen=True, slots=True)
class FaultPlan:
    faults: tuple[PlannedFault, ...]

    def mock_faults(self) -> list[PlannedFault]:
        """Faults the driver activates on the ``pos`` or ``erp`` mock."""
        return [f for f in self.faults if f.applied_by in ("pos", "erp") and f.mock_spec]

    def offline_windows(self) -> dict[str, list[tuple[float, float]]]:
        """Store id → its offline windows (simulated seconds)."""
        out: dict[str, list[tuple[float, float]]] = {}
        for fault in self.faults:
            if fault.applied_by == "driver" and fault.store_id is not None:
                out.setdefault(fault.store_id, []).append((fault.start_t, fault.end_t))
        return out

    def connector_outages(self) -> list[PlannedFault]:
        return [f for f in self.faults if f.applied_by == "harness"]

    def not_applicable(self) -> list[PlannedFault]:
        """ERP faults a real ERP cannot be given (see the module docstring)."""
        return [f for f in self.faults if f.applied_by == NOT_APPLICABLE]

    def timeline(self) -> list[PlannedFault]:
        """The faults of ``faults.parquet``: every one but the not applicable."""
        return [f for f in self.faults if f.applied_by != NOT_APPLICABLE]


def _mock_spec(fault: Any, start: float, end: float, speed: float) -> dict[str, Any]:
    kind = fault.kind
    spec: dict[str, Any] = {"target": fault.target, "at": start, "for": end - start}
    if fault.rate is not None:
        spec["rate"] = float(fault.rate)
    if kind == "errors":
        spec.update(kind="error", status=fault.status_code)
    elif kind == "rate_limit":
        spec.update(kind="rate_limit", status=fault.status_code)
    elif kind == "latency":
        spec.update(kind="latency", latency=fault.latency.total_seconds())
    elif kind == "delay":
        spec.update(kind="delay", delay=fault.latency.total_seconds() / speed)
    else:
        spec["kind"] = kind
    if getattr(fault, "phase", None) == "after":
        spec["phase"] = "after"
    if fault.target == "pos" and kind in _HTTP_KINDS:
        spec["paths"] = ["/v2/"]
    return spec


def plan_faults(scenario: Any, *, speed: float, erp_faults: bool = True) -> FaultPlan:
    """Every fault of ``scenario`` with who applies it; ``speed`` is the run's speed,
    ``erp_faults`` False when the ERP target takes no faults (a real ERP)."""
    planned = []
    for index, fault in enumerate(scenario.faults):
        start = fault.start.total_seconds()
        end = fault.end.total_seconds()
        params: dict[str, Any] = {
            "rate": fault.rate,
            "status": fault.status_code,
            "latency_s": fault.latency.total_seconds() if fault.latency is not None else None,
        }
        mock = fault.target.split(".", 1)[0]
        spec = None
        if mock == "erp" and not erp_faults:
            applied_by = NOT_APPLICABLE
        elif mock in ("pos", "erp") and (
            fault.kind in _HTTP_KINDS or (fault.kind in _WEBHOOK_KINDS and mock == "pos")
        ):
            applied_by = mock
            spec = _mock_spec(fault, start, end, speed)
        elif fault.target.startswith("store:") and fault.kind in ("offline", "outage"):
            applied_by = "driver"
        elif fault.target == "connector" and fault.kind == "outage":
            applied_by = "harness"
        else:
            applied_by = "ignored"
        planned.append(
            PlannedFault(
                id=f"f{index}",
                target=fault.target,
                kind=fault.kind,
                start_t=start,
                end_t=end,
                applied_by=applied_by,
                params=params,
                mock_spec=spec,
            )
        )
    return FaultPlan(tuple(planned))
