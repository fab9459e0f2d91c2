"""Saturation search: raise the offered arrival rate until an SLO breaks.

`search` is the control loop (pure: the step runner is passed in, so it is tested without
servers): offer ``start_rate``, multiply by ``factor`` while every SLO holds, then bisect
``refine`` times between the last good and the first bad rate. The sustainable throughput
is the *achieved* rate of the best good step. SLOs per step: p95 latency, error rate, and
backlog growth (the system served less than ``min_served`` of what was offered, so work
piles up in front of it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

__all__ = ["Saturation", "Slo", "Step", "breach", "search"]


@dataclasses.dataclass(frozen=True, slots=True)
class Slo:
    """What a sustainable step must meet."""

    p95_ms: float = 1000.0
    error_rate: float = 0.01
    min_served: float = 0.9
    """Achieved / offered rate below this = backlog growth."""


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """The evidence of one step: offered and achieved rates, latency, errors."""

    offered_rps: float
    achieved_rps: float
    p95_ms: float
    error_rate: float
    requests: int
    median_ms: float = float("nan")
    breach: str | None = None


def breach(step: Step, slo: Slo) -> str | None:
    """Why ``step`` breaks ``slo`` (the first SLO broken), or None."""
    if step.error_rate > slo.error_rate:
        return f"error rate {step.error_rate:.1%} > {slo.error_rate:.1%}"
    if step.p95_ms > slo.p95_ms:
        return f"p95 {step.p95_ms:.0f} ms > {slo.p95_ms:.0f} ms"
    if step.offered_rps > 0 and step.achieved_rps < slo.min_served * step.offered_rps:
        return (
            f"backlog: served {step.achieved_rps:.1f} of {step.offered_rps:.1f} req/s "
            f"(< {slo.min_served:.0%})"
        )
    return None


@dataclasses.dataclass(frozen=True, slots=True)
class Saturation:
    """The search's outcome: every step in order and the best sustainable one."""

    steps: tuple[Step, ...]
    best: Step | None
    """The good step with the highest achieved rate; None if the first step broke."""
    broke: bool
    """False when ``max_rate`` was reached without a breach (capacity is higher)."""

    @property
    def sustainable_rps(self) -> float:
        return self.best.achieved_rps if self.best else 0.0


def search(
    run_step: Callable[[float], Step],
    *,
    slo: Slo,
    start_rate: float,
    factor: float = 1.5,
    max_rate: float = 10_000.0,
    refine: int = 1,
) -> Saturation:
    """Step the offered rate up from ``start_rate`` by ``factor`` until ``slo`` breaks."""
    if start_rate <= 0 or factor <= 1:
        raise ValueError(
            f"start_rate must be > 0 and factor > 1, got start_rate={start_rate!r}, "
            f"factor={factor!r}"
        )
    steps: list[Step] = []

    def attempt(rate: float) -> Step:
        step = run_step(rate)
        step = dataclasses.replace(step, breach=breach(step, slo))
        steps.append(step)
        return step

    good: float | None = None
    bad: float | None = None
    rate = start_rate
    while rate <= max_rate:
        if attempt(rate).breach is None:
            good = rate
            rate *= factor
        else:
            bad = rate
            break
    if bad is not None and good is not None:
        for _ in range(refine):
            middle = (good + bad) / 2
            if attempt(middle).breach is None:
                good = middle
            else:
                bad = middle
    passing = [s for s in steps if s.breach is None]
    best = max(passing, key=lambda s: s.achieved_rps, default=None)
    return Saturation(steps=tuple(steps), best=best, broke=bad is not None)
