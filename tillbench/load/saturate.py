"""Saturation search: raise the offered arrival rate until an SLO breaks.

`search` is the control loop (pure: the step runner is passed in, so it is tested without
servers): offer ``start_rate``, multiply by ``factor`` while every SLO holds, then bisect
``refine`` times between the last good and the first bad rate. The sustainable throughput
is the *achieved* rate of the best good step. SLOs per step (`verdicts`): error rate,
request p95, the share of the offered rate the load generator could place, end-to-end sync
latency p95 and the connector's backlog growth (the last two when the step measured them).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

__all__ = ["SLO_NAMES", "Saturation", "Slo", "Step", "breach", "search", "summary", "verdicts"]

SLO_NAMES = ("errors", "request_p95", "served", "e2e_p95", "backlog")
"""The per-step checks, in the order `breach` reports them."""


@dataclasses.dataclass(frozen=True, slots=True)
class Slo:
    """What a sustainable step must meet; a None objective is not judged."""

    p95_ms: float | None = 1000.0
    """Request p95 (Locust's response time), milliseconds."""
    error_rate: float = 0.01
    min_served: float = 0.9
    """Achieved / offered rate below this = the load generator could not place the load."""
    e2e_p95_s: float | None = None
    """End-to-end sync latency p95 (POS accept → ERP commit), wall seconds; a sale never
    committed counts as infinitely late."""
    backlog_growth: float = 0.05
    """The connector's backlog may grow by at most this share of the offered rate..."""
    backlog_floor: float = 2.0
    """...and by at most this many items over the step..."""
    backlog_z: float = 2.0
    """...and the slope must exceed the limit by this many standard errors (a jittering
    backlog fits a slope that is not growth)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """The evidence of one step: offered and achieved rates, latency, errors, backlog."""

    offered_rps: float
    achieved_rps: float
    p95_ms: float
    error_rate: float
    requests: int
    median_ms: float = float("nan")
    breach: str | None = None
    duration_s: float = 0.0
    e2e_p95_s: float | None = None
    """None: not measured (ERP-only steps)."""
    accepted: int | None = None
    """Sales the POS accepted during the step (integration steps)."""
    uncommitted: int | None = None
    """Of those, sales without an ERP invoice when the step's drain ended."""
    committed_rps: float | None = None
    """ERP invoices committed per second over the step's steady part (after its warm-up)."""
    backlog_slope: float | None = None
    """Connector backlog growth, items per second (None: the connector reports none)."""
    backlog_stderr: float | None = None
    """Standard error of ``backlog_slope``."""
    backlog_window_s: float | None = None
    """Seconds of the step the growth was fitted over (default: ``duration_s``)."""
    drain_s: float | None = None
    """Seconds the connector took after the step to clear its backlog."""
    verdicts: dict[str, str] = dataclasses.field(default_factory=dict)
    """SLO name → ``ok``, ``unmeasured`` or why it broke."""


def verdicts(step: Step, slo: Slo) -> dict[str, str]:
    """Every SLO of `SLO_NAMES` judged on ``step``."""
    out = dict.fromkeys(SLO_NAMES, "ok")
    if step.error_rate > slo.error_rate:
        out["errors"] = f"error rate {step.error_rate:.1%} > {slo.error_rate:.1%}"
    if slo.p95_ms is None:
        out["request_p95"] = "unmeasured"
    elif step.p95_ms > slo.p95_ms:
        out["request_p95"] = f"p95 {step.p95_ms:.0f} ms > {slo.p95_ms:.0f} ms"
    if step.offered_rps > 0 and step.achieved_rps < slo.min_served * step.offered_rps:
        out["served"] = (
            f"backlog: served {step.achieved_rps:.1f} of {step.offered_rps:.1f} req/s "
            f"(< {slo.min_served:.0%})"
        )
    if slo.e2e_p95_s is None or step.e2e_p95_s is None:
        out["e2e_p95"] = "unmeasured"
    elif not step.e2e_p95_s <= slo.e2e_p95_s:
        shown = (
            "∞ (sales never committed)"
            if step.e2e_p95_s == float("inf")
            else (f"{step.e2e_p95_s:.2f} s")
        )
        out["e2e_p95"] = f"end-to-end p95 {shown} > {slo.e2e_p95_s:g} s"
    if step.backlog_slope is None:
        out["backlog"] = "unmeasured"
    else:
        limit = slo.backlog_growth * step.offered_rps
        window = step.backlog_window_s if step.backlog_window_s is not None else step.duration_s
        grew = step.backlog_slope * window
        margin = slo.backlog_z * (step.backlog_stderr or 0.0)
        if step.backlog_slope - margin > limit and grew > slo.backlog_floor:
            out["backlog"] = (
                f"backlog growth {step.backlog_slope:.2f} ± {step.backlog_stderr or 0:.2f} "
                f"items/s > {limit:.2f} ({slo.backlog_growth:.0%} of offered), "
                f"+{grew:.0f} over the step"
            )
    return out


def summary(step: Step) -> str:
    """``ok``, or the SLOs ``step`` broke by name and why the first broke."""
    broken = [n for n, v in step.verdicts.items() if v not in ("ok", "unmeasured")]
    if not broken:
        return step.breach or "ok"
    return f"broke {', '.join(broken)}: {step.breach}"


def breach(step: Step, slo: Slo) -> str | None:
    """Why ``step`` breaks ``slo`` (the first SLO broken, in `SLO_NAMES` order), or None."""
    for verdict in verdicts(step, slo).values():
        if verdict not in ("ok", "unmeasured"):
            return verdict
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
        step = dataclasses.replace(step, breach=breach(step, slo), verdicts=verdicts(step, slo))
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
