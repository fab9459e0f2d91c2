"""Fault injection shared by the mocks: latency, errors, outages, rate-limit tightening and
webhook drop / duplicate / reorder / delay, on a timeline in simulated time or at runtime.

Public API::

    FaultEngine(*, target, rng, clock=None, timeline=(), now=time.time)
        .http_decision(path) -> HttpDecision      .rate_limit_factor() -> float
        .webhook_action() -> WebhookAction         .add(spec) / .remove(id) / .clear()
    resolve(at, start) -> datetime                 FaultSpec, FaultKind, OutageMode
    Latency(median, p99=None).sample(rng)          parse_fault, parse_duration, FaultError

Time is the run's one clock, ``domain.clock.RunClock`` (with the scenario's ``start``);
``resolve`` reads a timeline's ``at`` (``"12:00"``, ``"d2 09:30"``, ``"+2h"``, ISO).
"""

from mocks.faults.durations import parse_duration
from mocks.faults.engine import NO_FAULT, FaultEngine, HttpDecision, WebhookAction
from mocks.faults.errors import FaultError
from mocks.faults.latency import Latency
from mocks.faults.spec import FaultKind, FaultSpec, OutageMode, parse_fault
from mocks.faults.timeline import ScheduledFault, resolve, schedule

__all__ = [
    "NO_FAULT",
    "FaultEngine",
    "FaultError",
    "FaultKind",
    "FaultSpec",
    "HttpDecision",
    "Latency",
    "OutageMode",
    "ScheduledFault",
    "WebhookAction",
    "parse_duration",
    "parse_fault",
    "resolve",
    "schedule",
]
