"""The Locust load shape of tillbench: arrival rates from `curves`, users from the pacing.

``TILLBENCH_SHAPE`` picks ``day`` (the scenario's hourly curve compressed into
``TILLBENCH_DURATION``), ``ramp``, ``spike``, ``soak`` or ``constant``. Users pace
themselves at ``TILLBENCH_USER_RATE`` req/s (`constant_pacing`), so the user count is the
offered rate over the pacing: an open model until a response takes longer than the pacing
interval, when a user falls behind (raise ``TILLBENCH_USER_RATE``'s inverse headroom, i.e.
lower the per-user rate, for slow systems).
"""

from __future__ import annotations

import curves
from load_env import LoadSettings
from locust import LoadTestShape

__all__ = ["TillbenchShape", "rate_at"]


def _weights(settings: LoadSettings) -> tuple[float, ...]:
    import scenarios

    return scenarios.profile_weights(scenarios.load(settings.scenario).traffic)


def rate_at(settings: LoadSettings, t: float, weights: tuple[float, ...] = ()) -> float:
    """The offered rate (req/s) of ``settings.shape`` at wall second ``t``."""
    match settings.shape:
        case "day":
            return curves.day_rate(
                t, weights=weights, duration_s=settings.duration_s, peak_rate=settings.rate
            )
        case "ramp":
            return curves.ramp_rate(
                t, start_rate=settings.rate, step_rate=settings.step_rate, step_s=settings.step_s
            )
        case "spike":
            return curves.spike_rate(
                t,
                base_rate=settings.rate,
                spike_rate=settings.spike_rate,
                spike_at_s=settings.spike_at_s,
                spike_s=settings.spike_s,
            )
        case "soak" | "constant":
            return curves.soak_rate(t, rate=settings.rate)
    raise curves.CurveError(
        f"TILLBENCH_SHAPE must be day, ramp, spike, soak or constant, got {settings.shape!r}"
    )


class TillbenchShape(LoadTestShape):
    """Users = offered rate / per-user pacing rate, for ``TILLBENCH_DURATION`` seconds.

    Users spawn over one pacing interval, so their requests are spread evenly in time
    instead of arriving in bursts."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.settings = LoadSettings.from_env()
        self.weights = _weights(self.settings) if self.settings.shape == "day" else ()

    def tick(self) -> tuple[int, float] | None:
        t = float(self.get_run_time())  # type: ignore[no-untyped-call]
        if t >= self.settings.duration_s:
            return None
        rate = rate_at(self.settings, t, self.weights)
        users = curves.users_for(rate, per_user_rate=self.settings.user_rate)
        return users, max(1.0, users * self.settings.user_rate)
