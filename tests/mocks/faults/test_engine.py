"""The fault engine: which faults are active, and what they do to requests and webhooks."""

from __future__ import annotations

import random
from datetime import datetime

from domain.clock import RunClock
from mocks.faults import FaultEngine
from tests.mocks.support import FakeClock

START = datetime(2026, 11, 27, 7, 0)


def test_rate_limit_without_factor_answers_429() -> None:
    engine = FaultEngine(target="erp", rng=random.Random(1), now=FakeClock())
    engine.add({"kind": "rate_limit"})
    assert engine.http_decision("/x").status == 429
    assert engine.rate_limit_factor() == 1.0


def test_faults_for_other_mocks_are_ignored() -> None:
    engine = FaultEngine(
        target="erp",
        rng=random.Random(1),
        clock=RunClock(0.0, 1.0, START),
        timeline=[
            {"target": "pos.webhooks", "kind": "duplicate"},
            {"target": "pos", "kind": "error"},
        ],
        now=FakeClock(10.0),
    )
    assert engine.active() == []


def test_error_rate_is_respected_statistically() -> None:
    fake = FakeClock()
    engine = FaultEngine(target="pos", rng=random.Random(3), now=fake)
    engine.add({"kind": "error", "status": 500, "rate": 0.2})
    hits = sum(engine.http_decision("/v2/orders").status == 500 for _ in range(5000))
    assert 900 < hits < 1100


def test_runtime_fault_expires_after_for_wall_seconds() -> None:
    fake = FakeClock(50.0)
    engine = FaultEngine(target="erp", rng=random.Random(1), now=fake)
    fault = engine.add({"kind": "error", "for": 10})
    assert engine.http_decision("/").status == 500
    fake.now = 60.0
    assert engine.http_decision("/").status is None
    assert engine.remove(fault.id)
    assert not engine.remove(fault.id)


def test_rate_limit_factor_takes_the_tightest() -> None:
    engine = FaultEngine(target="erp", rng=random.Random(1), now=FakeClock())
    assert engine.rate_limit_factor() == 1.0
    engine.add({"kind": "rate_limit", "factor": 0.5})
    engine.add({"kind": "rate_limit", "factor": 0.1})
    assert engine.rate_limit_factor() == 0.1


def test_webhook_actions() -> None:
    engine = FaultEngine(target="pos", rng=random.Random(1), now=FakeClock())
    assert engine.webhook_action().copies == 1
    engine.add({"kind": "duplicate", "target": "pos.webhooks"})
    engine.add({"kind": "delay", "target": "pos.webhooks", "delay": "2s"})
    engine.add({"kind": "reorder", "target": "pos.webhooks"})
    action = engine.webhook_action()
    assert (action.copies, action.delay, action.reorder, action.drop) == (2, 2.0, True, False)
    engine.add({"kind": "drop", "target": "pos.webhooks"})
    assert engine.webhook_action().drop


def test_webhook_faults_do_not_touch_http() -> None:
    engine = FaultEngine(target="pos", rng=random.Random(1), now=FakeClock())
    engine.add({"kind": "drop", "target": "pos.webhooks"})
    assert engine.http_decision("/v2/orders").label is None
