"""Hourly profiles and weekday shares follow REFERENCE.md."""

from __future__ import annotations

import math

import pytest

from scenarios import HOURLY_PROFILES, WEEKDAY_SHARES, Traffic, profile_weights


def _local_peaks(weights: tuple[float, ...]) -> set[int]:
    return {
        hour
        for hour in range(1, 23)
        if weights[hour] > weights[hour - 1] and weights[hour] >= weights[hour + 1]
    }


@pytest.mark.parametrize("profile", sorted(HOURLY_PROFILES))
def test_profile_weights_are_24_and_sum_to_one(profile: str) -> None:
    weights = profile_weights(Traffic.model_validate({"profile": profile}))
    assert len(weights) == 24
    assert math.isclose(math.fsum(weights), 1.0)
    assert min(weights) >= 0


def test_grocery_peaks_at_lunch_afternoon_and_after_work() -> None:
    weights = profile_weights(Traffic())
    peaks = _local_peaks(weights)
    assert peaks & {11, 12}
    assert peaks & {15}
    assert peaks & {17, 18}
    assert max(range(24), key=weights.__getitem__) in {11, 12, 17, 18}
    assert weights[3] < weights[12] / 10


def test_convenience_has_commuter_peaks() -> None:
    weights = profile_weights(Traffic(profile="convenience"))
    peaks = _local_peaks(weights)
    assert peaks & {7, 8}
    assert peaks & {17, 18}
    assert weights[8] > weights[12]


def test_boutique_is_busiest_in_the_afternoon() -> None:
    weights = profile_weights(Traffic(profile="boutique"))
    assert 14 <= max(range(24), key=weights.__getitem__) <= 17
    assert weights[3] == 0


def test_flat_is_uniform() -> None:
    assert set(profile_weights(Traffic(profile="flat"))) == {1 / 24}


def test_hourly_list_overrides_the_profile() -> None:
    hourly = tuple(float(hour == 9) for hour in range(24))
    assert profile_weights(Traffic(hourly=hourly)) == hourly


def test_weekday_shares_follow_reference() -> None:
    monday, tuesday, wednesday, thursday, friday, saturday, sunday = WEEKDAY_SHARES
    assert math.isclose(math.fsum(WEEKDAY_SHARES), 1.0)
    assert (saturday, sunday, thursday) == (0.17, 0.16, 0.12)
    assert thursday == min(WEEKDAY_SHARES)
    weekday_mean = (monday + tuesday + wednesday + thursday + friday) / 5
    assert (saturday + sunday) / 2 / weekday_mean == pytest.approx(1.23, abs=0.01)
    assert Traffic().weekday == WEEKDAY_SHARES
