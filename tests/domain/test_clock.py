"""The run's one clock: simulated seconds and simulated datetimes ↔ wall time."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from domain import InvariantError, RunClock
from domain.clock import epoch

START = datetime(2026, 11, 27, 7, 0)


def test_float_side_maps_simulated_seconds_by_speed() -> None:
    clock = RunClock(wall_origin=1000.0, speed=60.0)
    assert clock.wall_at(3600.0) == pytest.approx(1060.0)
    assert clock.t_at(1060.0) == pytest.approx(3600.0)
    assert clock.t_at(clock.wall_at(123.4)) == pytest.approx(123.4)
    assert clock.t_at(990.0) == pytest.approx(-600.0)


def test_positional_construction_keeps_the_float_api() -> None:
    clock = RunClock(1000.0, 2.0)
    assert (clock.wall_origin, clock.speed, clock.start) == (1000.0, 2.0, None)


def test_now_t_reads_the_wall_clock() -> None:
    origin = time.time()
    clock = RunClock(wall_origin=origin, speed=10.0)
    before = (time.time() - origin) * 10.0
    now = clock.now_t()
    after = (time.time() - origin) * 10.0
    assert before <= now <= after


def test_datetime_side_maps_the_scenario_start() -> None:
    clock = RunClock(wall_origin=1000.0, speed=120.0, start=START)
    assert clock.wall_of(datetime(2026, 11, 27, 9, 0)) == pytest.approx(1060.0)
    assert clock.datetime_at(1060.0) == datetime(2026, 11, 27, 9, 0)
    assert clock.datetime_at(1000.0) == START
    assert clock.wall_of(START) == pytest.approx(1000.0)


def test_aware_start_gives_aware_datetimes() -> None:
    start = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    clock = RunClock(wall_origin=0.0, speed=1.0, start=start)
    assert clock.datetime_at(60.0) == datetime(2026, 11, 27, 7, 1, tzinfo=UTC)
    assert clock.wall_of(datetime(2026, 11, 27, 7, 1, tzinfo=UTC)) == pytest.approx(60.0)


def test_datetime_side_without_start_says_what_is_missing() -> None:
    clock = RunClock(wall_origin=0.0, speed=1.0)
    with pytest.raises(InvariantError, match=r"^RunClock\.start: is not set; give the scenario"):
        clock.datetime_at(5.0)
    with pytest.raises(InvariantError, match=r"^RunClock\.start: is not set"):
        clock.wall_of(START)


@pytest.mark.parametrize("speed", [0.0, -1.0, float("nan")])
def test_speed_must_be_positive(speed: float) -> None:
    with pytest.raises(InvariantError, match=r"^RunClock\.speed: must be > 0, got "):
        RunClock(wall_origin=0.0, speed=speed)


def test_clocks_compare_by_value() -> None:
    assert RunClock(1.0, 2.0, START) == RunClock(1.0, 2.0, START)
    assert RunClock(1.0, 2.0, START) != RunClock(1.0, 2.0, None)
    with pytest.raises(AttributeError):
        RunClock(1.0, 2.0).speed = 3.0  # type: ignore[misc]


def test_epoch_reads_utc_offsets_and_naive_times_as_utc() -> None:
    assert epoch("2026-11-29T10:00:00Z") == epoch("2026-11-29T11:00:00+01:00")
    assert epoch("2026-11-29T10:00:00") == epoch("2026-11-29T10:00:00Z")
    assert epoch("") is None
