"""Fault engine: spec validation, clock mapping, timeline windows, decisions."""

from __future__ import annotations

import random
import statistics
from datetime import datetime

import pytest

from domain.clock import RunClock
from mocks.faults import (
    FaultEngine,
    FaultError,
    Latency,
    OutageMode,
    parse_duration,
    parse_fault,
    resolve,
)

START = datetime(2026, 11, 27, 7, 0)


class FakeTime:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("15m", 900.0), ("1h30m", 5400.0), ("900ms", 0.9), ("2d", 172800.0), (5, 5.0)],
)
def test_parse_duration(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_parse_duration_rejects_garbage_naming_the_field() -> None:
    with pytest.raises(FaultError, match=r"^for: must be a duration .*, got '15 minutes'$"):
        parse_duration("15 minutes", field="for")


def test_parse_fault_names_the_entry_and_field() -> None:
    with pytest.raises(FaultError, match=r"^faults\[2\]\.rate: .*got 3"):
        parse_fault({"kind": "error", "rate": 3}, where="faults[2]")


def test_parse_fault_requires_kind_specific_fields() -> None:
    with pytest.raises(FaultError, match=r"fault\.latency: a latency fault needs 'latency'"):
        parse_fault({"kind": "latency"}, where="fault")


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


def test_rate_limit_without_factor_answers_429() -> None:
    engine = FaultEngine(target="erp", rng=random.Random(1), now=FakeTime())
    engine.add({"kind": "rate_limit"})
    assert engine.http_decision("/x").status == 429
    assert engine.rate_limit_factor() == 1.0


def test_webhook_prefix_is_accepted() -> None:
    assert parse_fault({"kind": "webhook_duplicate"}).kind.value == "duplicate"


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
    fake = FakeTime()
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


def test_faults_for_other_mocks_are_ignored() -> None:
    engine = FaultEngine(
        target="erp",
        rng=random.Random(1),
        clock=RunClock(0.0, 1.0, START),
        timeline=[
            {"target": "pos.webhooks", "kind": "duplicate"},
            {"target": "pos", "kind": "error"},
        ],
        now=FakeTime(10.0),
    )
    assert engine.active() == []


def test_error_rate_is_respected_statistically() -> None:
    fake = FakeTime()
    engine = FaultEngine(target="pos", rng=random.Random(3), now=fake)
    engine.add({"kind": "error", "status": 500, "rate": 0.2})
    hits = sum(engine.http_decision("/v2/orders").status == 500 for _ in range(5000))
    assert 900 < hits < 1100


def test_runtime_fault_expires_after_for_wall_seconds() -> None:
    fake = FakeTime(50.0)
    engine = FaultEngine(target="erp", rng=random.Random(1), now=fake)
    fault = engine.add({"kind": "error", "for": 10})
    assert engine.http_decision("/").status == 500
    fake.now = 60.0
    assert engine.http_decision("/").status is None
    assert engine.remove(fault.id)
    assert not engine.remove(fault.id)


def test_rate_limit_factor_takes_the_tightest() -> None:
    engine = FaultEngine(target="erp", rng=random.Random(1), now=FakeTime())
    assert engine.rate_limit_factor() == 1.0
    engine.add({"kind": "rate_limit", "factor": 0.5})
    engine.add({"kind": "rate_limit", "factor": 0.1})
    assert engine.rate_limit_factor() == 0.1


def test_webhook_actions() -> None:
    engine = FaultEngine(target="pos", rng=random.Random(1), now=FakeTime())
    assert engine.webhook_action().copies == 1
    engine.add({"kind": "duplicate", "target": "pos.webhooks"})
    engine.add({"kind": "delay", "target": "pos.webhooks", "delay": "2s"})
    engine.add({"kind": "reorder", "target": "pos.webhooks"})
    action = engine.webhook_action()
    assert (action.copies, action.delay, action.reorder, action.drop) == (2, 2.0, True, False)
    engine.add({"kind": "drop", "target": "pos.webhooks"})
    assert engine.webhook_action().drop


def test_webhook_faults_do_not_touch_http() -> None:
    engine = FaultEngine(target="pos", rng=random.Random(1), now=FakeTime())
    engine.add({"kind": "drop", "target": "pos.webhooks"})
    assert engine.http_decision("/v2/orders").label is None


def test_lognormal_latency_matches_median_and_p99() -> None:
    latency = Latency.parse({"median": "100ms", "p99": "900ms"})
    rng = random.Random(42)
    draws = sorted(latency.sample(rng) for _ in range(40_000))
    assert statistics.median(draws) == pytest.approx(0.1, rel=0.05)
    assert draws[int(0.99 * len(draws))] == pytest.approx(0.9, rel=0.1)


def test_fixed_latency_and_scale() -> None:
    latency = Latency.parse("200ms")
    assert latency.sample(random.Random(0), scale=2.0) == pytest.approx(0.4)


def test_latency_rejects_p99_below_median() -> None:
    with pytest.raises(FaultError, match=r"latency\.p99: must be ≥ median"):
        Latency.parse({"median": 1, "p99": 0.5})
