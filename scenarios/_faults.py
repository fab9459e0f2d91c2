"""Faults on a timeline of the simulated clock: the ``faults`` section.

A fault hits one ``target`` (``erp``, ``pos``, ``pos.webhooks``, ``connector`` or
``store:<n>``) from ``at`` for ``for``. ``at`` is ``"12:00"`` (that time on the first
simulated day), ``"d2 12:00"`` or ``"+2h"`` (after the scenario start). Inside a loaded
`Scenario`, every fault knows its ``start`` and ``end`` as offsets from the scenario start.

What each kind does, and which of ``rate`` / ``latency`` / ``status`` it reads:

==========  ==================================================  ======================
kind        effect                                              fields
==========  ==================================================  ======================
outage      target unreachable (connection refused / 503)       —
offline     a store loses its link and queues sales locally      —
latency     every affected response is slower by ``latency``    latency (req.), rate
delay       affected deliveries (webhooks) wait ``latency``      latency (req.), rate
errors      affected requests fail with ``status`` (500)        rate, status
rate_limit  affected requests get ``status`` (429) + Retry-After  rate, status
duplicate   affected messages are delivered twice               rate
drop        affected messages are never delivered               rate
reorder     affected messages overtake earlier ones              rate
==========  ==================================================  ======================

``rate`` is the share of requests or messages affected; null means all of them.
``phase: after`` (``latency`` and ``errors`` only) lets the request commit before the client
sees the slowness or the error: the answer is lost after the write, the case that makes a
connector without a look-up before retrying post twice.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ._base import Issue, Section, Share, issues_error
from ._clock import FaultTime
from ._duration import PositiveDuration
from ._errors import ScenarioError
from ._render import render

__all__ = ["Fault", "FaultKind"]

FaultKind = Literal[
    "outage",
    "latency",
    "errors",
    "rate_limit",
    "duplicate",
    "drop",
    "reorder",
    "delay",
    "offline",
]
_TARGET = re.compile(r"erp|pos|pos\.webhooks|connector|store:([1-9]\d*)")
_USES: dict[str, frozenset[str]] = {
    "outage": frozenset(),
    "offline": frozenset(),
    "latency": frozenset({"latency", "rate", "phase"}),
    "delay": frozenset({"latency", "rate"}),
    "errors": frozenset({"rate", "status", "phase"}),
    "rate_limit": frozenset({"rate", "status"}),
    "duplicate": frozenset({"rate"}),
    "drop": frozenset({"rate"}),
    "reorder": frozenset({"rate"}),
}
_REQUIRES: dict[str, frozenset[str]] = {
    "latency": frozenset({"latency"}),
    "delay": frozenset({"latency"}),
}
_DEFAULT_STATUS = {"errors": 500, "rate_limit": 429}


class Fault(Section):
    """One fault window. Build scenarios from YAML; ``start``/``end`` are set by `Scenario`."""

    model_config = ConfigDict(validate_by_name=True, validate_by_alias=True)

    at: FaultTime
    duration: Annotated[PositiveDuration, Field(alias="for")]
    target: str
    """erp, pos, pos.webhooks, connector or store:<n> (1-based store number)."""
    kind: FaultKind
    rate: Share | None = None
    latency: PositiveDuration | None = None
    status: int | None = Field(default=None, ge=100, le=599)
    phase: Literal["before", "after"] | None = None
    """``after``: the request is applied, then the answer is slowed or replaced (lost)."""

    _start: timedelta | None = PrivateAttr(default=None)

    @field_validator("target")
    @classmethod
    def _known_target(cls, target: str) -> str:
        if _TARGET.fullmatch(target) is None:
            raise issues_error(
                [
                    Issue(
                        (),
                        "must be one of erp, pos, pos.webhooks, connector, store:<n>",
                        render(target),
                    )
                ]
            )
        return target

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Fault:
        uses, requires = _USES[self.kind], _REQUIRES.get(self.kind, frozenset())
        issues = [
            Issue((name,), f"required for kind {self.kind}", "null")
            for name in sorted(requires)
            if getattr(self, name) is None
        ]
        issues += [
            Issue((name,), f"not used by kind {self.kind}; remove it", render(getattr(self, name)))
            for name in ("rate", "latency", "status", "phase")
            if name not in uses and getattr(self, name) is not None
        ]
        if issues:
            raise issues_error(issues)
        return self

    def placed(self, start: timedelta) -> Fault:
        """A copy of this fault that knows its offset from the scenario start."""
        copy = self.model_copy()
        copy._start = start
        return copy

    @property
    def start(self) -> timedelta:
        """Offset from the scenario start at which the fault begins."""
        if self._start is None:
            raise ScenarioError(
                [f"fault at {self.at}: its start is known only inside a Scenario (scenario.faults)"]
            )
        return self._start

    @property
    def end(self) -> timedelta:
        """Offset from the scenario start at which the fault is over."""
        return self.start + self.duration

    @property
    def store(self) -> int | None:
        """The 1-based store number of a ``store:<n>`` target, else None."""
        match = _TARGET.fullmatch(self.target)
        return int(match.group(1)) if match is not None and match.group(1) else None

    @property
    def share(self) -> float:
        """Share of requests or messages affected (``rate``, or 1.0 when null)."""
        return 1.0 if self.rate is None else self.rate

    @property
    def status_code(self) -> int | None:
        """HTTP status answered by ``errors`` (500) and ``rate_limit`` (429) faults."""
        return self.status if self.status is not None else _DEFAULT_STATUS.get(self.kind)
