"""The fault timeline: `at` resolved from the scenario start, windows placed in wall time
through the run's clock."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from domain.clock import RunClock
from mocks.faults import FaultEngine, FaultError, OutageMode, resolve
from tests.mocks.support import FakeClock

START = datetime(2026, 11, 27, 7, 0)


def test_clock_maps_sim_to_wall_by_speed() -> None:
    clock = RunClock(1000.0, 120.0, START)
    assert clock.wall_of(datetime(2026, 11, 27, 9, 0)) == pytest.approx(1060.0)
    assert clock.datetime_at(1060.0) == datetime(2026, 11, 27, 9, 0)


def test_clock_resolves_clock_times_offsets_and_iso() -> None:
    assert resolve("12:00", START) == datetime(2026, 11, 27, 12, 0)
    assert resolve("06:00", START) == datetime(2026, 11, 28, 6, 0)
    assert resolve("5h", START) == datetime(2026, 11, 27, 12, 0)
    assert resolve("2026-11-27T08:30:00", START) == datetime(2026, 11, 27, 8, 30)
    assert resolve(None, START) == START


def test_timeline_window_in_wall_time() -> None:
    clock = RunClock(1000.0, 120.0, START)
    fake = FakeClock()
    engine = FaultEngine(
        target="erp",
        rng=random.Random(1),
        clock=clock,
        timeline=[{"at": "12:00", "for": "15m", "target": "erp", "kind": "outage"}],
        now=fake,
    )
    start = 1000.0 + 5 * 3600 / 120
    end = start + 900 / 120
    assert engine.http_decision("/x", now=start - 0.01).outage is None
    assert engine.http_decision("/x", now=start).outage is OutageMode.UNAVAILABLE
    assert engine.http_decision("/x", now=end - 0.01).outage is OutageMode.UNAVAILABLE
    assert engine.http_decision("/x", now=end).outage is None


def test_scenario_dumped_faults_are_accepted() -> None:
    clock = RunClock(0.0, 60.0, datetime(2026, 11, 23))
    dumped = [  # scenarios.load(...).model_dump(mode="json")["faults"] entries
        {
            "at": "12:00",
            "for": "30m",
            "target": "erp",
            "kind": "outage",
            "rate": None,
            "latency": None,
            "status": None,
        },
        {
            "at": "d2 09:30",
            "for": "1h",
            "target": "erp",
            "kind": "errors",
            "rate": 0.1,
            "latency": None,
            "status": 503,
        },
        {
            "at": "+2h",
            "for": "10m",
            "target": "pos.webhooks",
            "kind": "delay",
            "rate": None,
            "latency": "30s",
            "status": None,
        },
        {
            "at": "10:00",
            "for": "1h",
            "target": "store:3",
            "kind": "offline",
            "rate": None,
            "latency": None,
            "status": None,
        },
    ]
    engine = FaultEngine(target="erp", rng=random.Random(1), clock=clock, timeline=dumped)
    windows = [(f.start, f.end) for f in engine.scheduled()]
    assert windows == [(12 * 60.0, 12.5 * 60.0), ((24 + 9.5) * 60.0, (24 + 10.5) * 60.0)]
    assert engine.scheduled()[1].spec.kind.value == "error"
    pos = FaultEngine(target="pos", rng=random.Random(1), clock=clock, timeline=dumped)
    assert pos.webhook_action(now=2 * 60.0 + 1).delay == 30.0


def test_resolve_counts_days_and_gives_iso_times_the_start_zone() -> None:
    assert resolve("d2 09:30", START) == datetime(2026, 11, 28, 9, 30)
    assert resolve("+90m", START) == datetime(2026, 11, 27, 8, 30)
    assert resolve(3600, START) == datetime(2026, 11, 27, 8, 0)
    aware = START.replace(tzinfo=UTC)
    assert resolve("2026-11-27T08:30:00", aware) == datetime(2026, 11, 27, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("25:00", r"^faults\[0\]\.at: must be a valid time of day 'HH:MM', got '25:00'$"),
        ("d0 12:00", r"^faults\[0\]\.at: days count from d1, got 'd0 12:00'$"),
        ("2026-13-01T00:00", r"^faults\[0\]\.at: must be an ISO datetime, got "),
        (True, r"^faults\[0\]\.at: must be 'HH:MM', an ISO datetime or an offset"),
    ],
    ids=["hour-25", "day-0", "bad-iso", "not-a-time"],
)
def test_resolve_rejects_bad_times_naming_the_field(at: object, message: str) -> None:
    with pytest.raises(FaultError, match=message):
        resolve(at, START, field="faults[0].at")  # type: ignore[arg-type]


def test_a_timeline_needs_the_scenario_start() -> None:
    with pytest.raises(FaultError, match=r"^clock\.start: a fault timeline needs the scenario"):
        FaultEngine(
            target="erp",
            rng=random.Random(1),
            clock=RunClock(0.0, 1.0),
            timeline=[{"kind": "outage", "target": "erp"}],
        )
    assert FaultEngine(target="erp", rng=random.Random(1), clock=RunClock(0.0, 1.0)).active() == []
