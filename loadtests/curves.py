"""Arrival-rate arithmetic of the load shapes, free of Locust (tests import it without gevent).

Every function maps wall seconds since the start of the test to an offered arrival rate in
requests per second; `users_for` turns a rate into a user count for users that each pace
themselves at a fixed rate (open model: a slow response does not lower the offered rate
until a user's response time exceeds its pacing interval).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = [
    "CurveError",
    "day_rate",
    "ramp_rate",
    "soak_rate",
    "spike_rate",
    "users_for",
]

DAY_S = 86_400.0


class CurveError(ValueError):
    """A shape parameter out of range; the message names it and its value."""


def _positive(name: str, value: float) -> None:
    if not value > 0:
        raise CurveError(f"{name} must be > 0, got {value!r}")


def day_rate(t: float, *, weights: Sequence[float], duration_s: float, peak_rate: float) -> float:
    """The rate at wall second ``t`` of a trading day compressed into ``duration_s``.

    ``weights`` are the scenario's 24 hourly weights (`scenarios.profile_weights`); the
    busiest hour runs at ``peak_rate`` and every hour at ``peak_rate × weight / max weight``.
    Simulated time is ``t × 86400 / duration_s``; past the end the rate is 0.
    """
    _positive("duration_s", duration_s)
    if len(weights) != 24:
        raise CurveError(f"weights must have 24 hourly values, got {len(weights)}")
    top = max(weights)
    if t < 0 or t >= duration_s or top <= 0:
        return 0.0
    hour = min(23, int(t * DAY_S / duration_s // 3600))
    return peak_rate * weights[hour] / top


def ramp_rate(t: float, *, start_rate: float, step_rate: float, step_s: float) -> float:
    """A step ramp: ``start_rate`` for ``step_s`` seconds, then ``step_rate`` more each step."""
    _positive("step_s", step_s)
    return start_rate + step_rate * math.floor(max(0.0, t) / step_s)


def spike_rate(
    t: float, *, base_rate: float, spike_rate: float, spike_at_s: float, spike_s: float
) -> float:
    """``base_rate`` with a jump to ``spike_rate`` between ``spike_at_s`` and
    ``spike_at_s + spike_s`` (doors open on Black Friday)."""
    return spike_rate if spike_at_s <= t < spike_at_s + spike_s else base_rate


def soak_rate(t: float, *, rate: float, warmup_s: float = 0.0) -> float:
    """A constant ``rate`` held for a long time, reached linearly over ``warmup_s``."""
    if warmup_s > 0 and t < warmup_s:
        return rate * max(0.0, t) / warmup_s
    return rate


def users_for(rate: float, *, per_user_rate: float) -> int:
    """Users needed to offer ``rate`` when each paces itself at ``per_user_rate`` req/s."""
    _positive("per_user_rate", per_user_rate)
    if rate <= 0:
        return 0
    return max(1, math.ceil(rate / per_user_rate - 1e-9))
