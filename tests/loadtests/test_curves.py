"""The arrival-rate arithmetic of the shapes, in simulated time (nothing sleeps)."""

from __future__ import annotations

import math

import pytest

import scenarios
from tests.loadtests.support import module

curves = module("curves")
LoadSettings = module("load_env").LoadSettings


@pytest.mark.parametrize("name", ["demo", "black-friday", "convenience"])
def test_day_rate_follows_the_hourly_curve_in_simulated_time(name: str) -> None:
    weights = scenarios.profile_weights(scenarios.load(name).traffic)
    duration = 240.0
    peak = 50.0
    per_hour = duration / 24
    for hour, weight in enumerate(weights):
        for fraction in (0.01, 0.5, 0.99):
            t = (hour + fraction) * per_hour
            rate = curves.day_rate(t, weights=weights, duration_s=duration, peak_rate=peak)
            assert rate == pytest.approx(peak * weight / max(weights))
    busiest = max(range(24), key=lambda h: weights[h])
    at_peak = curves.day_rate(
        (busiest + 0.5) * per_hour, weights=weights, duration_s=duration, peak_rate=peak
    )
    assert at_peak == pytest.approx(peak)
    dt = duration / 2400
    offered = sum(
        curves.day_rate(i * dt, weights=weights, duration_s=duration, peak_rate=peak) * dt
        for i in range(2400)
    )
    assert offered == pytest.approx(peak * per_hour * sum(weights) / max(weights), rel=1e-6)


def test_day_rate_is_zero_outside_the_day() -> None:
    weights = [1.0] * 24
    assert curves.day_rate(-1, weights=weights, duration_s=60, peak_rate=5) == 0
    assert curves.day_rate(60, weights=weights, duration_s=60, peak_rate=5) == 0


def test_day_rate_rejects_a_profile_without_24_hours() -> None:
    with pytest.raises(curves.CurveError, match="24 hourly values, got 23"):
        curves.day_rate(1, weights=[1.0] * 23, duration_s=60, peak_rate=5)


def test_ramp_steps_up_every_step() -> None:
    rates = [curves.ramp_rate(t, start_rate=5, step_rate=10, step_s=2) for t in (0, 1.9, 2, 5)]
    assert rates == [5, 5, 15, 25]


def test_spike_is_high_only_inside_its_window() -> None:
    def rate(t: float) -> float:
        return float(curves.spike_rate(t, base_rate=2, spike_rate=40, spike_at_s=10, spike_s=5))

    assert [rate(t) for t in (9.9, 10, 14.9, 15)] == [2, 40, 40, 2]


def test_soak_warms_up_linearly_then_holds() -> None:
    assert curves.soak_rate(5, rate=10, warmup_s=10) == pytest.approx(5)
    assert curves.soak_rate(3600, rate=10, warmup_s=10) == 10


@pytest.mark.parametrize(("rate", "per_user", "users"), [(0, 2, 0), (0.1, 2, 1), (10, 2, 5)])
def test_users_offer_at_least_the_rate(rate: float, per_user: float, users: int) -> None:
    found = curves.users_for(rate, per_user_rate=per_user)
    assert found == users
    assert found * per_user >= rate
    assert math.isclose(found, 0) or (found - 1) * per_user < rate


def test_settings_read_the_environment_and_name_a_bad_number() -> None:
    settings = LoadSettings.from_env({"TILLBENCH_RATE": "12.5", "TILLBENCH_SHAPE": "day"})
    assert (settings.rate, settings.shape, settings.user_rate) == (12.5, "day", 2.0)
    with pytest.raises(ValueError, match="TILLBENCH_RATE must be a number, got 'fast'"):
        LoadSettings.from_env({"TILLBENCH_RATE": "fast"})
