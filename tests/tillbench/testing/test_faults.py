"""Faults as context managers on a real in-process mock: on inside the block, off after it
(also on an exception), bounded on the wall or the simulated clock."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tillbench.testing import ErpHandle, PosHandle, SetupError, start_erp, start_pos


@pytest.fixture(scope="module")
def erp() -> Iterator[ErpHandle]:
    with start_erp(overrides={"chain.stores": 1}) as handle:
        yield handle


@pytest.fixture(scope="module")
def pos() -> Iterator[PosHandle]:
    with start_pos(overrides={"chain.stores": 1}, seed=False) as handle:
        yield handle


def companies(erp: ErpHandle) -> int:
    answer = httpx.get(
        f"{erp.url}/companies", headers={"Authorization": f"Bearer {erp.token}"}, timeout=10
    )
    return answer.status_code


def test_an_outage_answers_503_inside_the_block_only(erp: ErpHandle) -> None:
    assert companies(erp) == 200
    with erp.outage() as fault:
        assert fault.active
        assert companies(erp) == 503
    assert not fault.active
    assert companies(erp) == 200
    assert erp.admin.faults.active() == []
    outage = erp.admin.journal.rows(credential="connector", status=503)
    assert outage
    assert outage[-1].fault is not None
    assert outage[-1].fault.startswith("outage:")


def test_a_fault_is_removed_when_the_block_raises(erp: ErpHandle) -> None:
    def fail_inside() -> None:
        with erp.errors(1.0, status=502):
            assert companies(erp) == 502
            raise RuntimeError("the test failed inside the block")

    with pytest.raises(RuntimeError, match="inside the block"):
        fail_inside()
    assert erp.admin.faults.active() == []
    assert companies(erp) == 200


def test_durations_count_on_the_wall_or_the_simulated_clock(erp: ErpHandle) -> None:
    speed = erp.admin.clock.get().speed
    assert speed == 60
    with erp.outage(for_="30s") as wall, erp.outage(for_="2m", clock="sim") as sim:
        assert wall.active_fault is not None
        assert sim.active_fault is not None
        assert wall.active_fault.end is not None
        assert sim.active_fault.end is not None
        assert wall.active_fault.end - wall.active_fault.start == pytest.approx(30)
        assert sim.active_fault.end - sim.active_fault.start == pytest.approx(120 / speed)


def test_a_short_fault_ends_by_itself(erp: ErpHandle) -> None:
    with erp.outage(for_=0.3) as fault:
        assert companies(erp) == 503
        time.sleep(0.4)
        assert not fault.active
        assert companies(erp) == 200


def test_webhook_faults_target_the_pos_webhooks(pos: PosHandle) -> None:
    with pos.webhooks.duplicate(0.3), pos.webhooks.delay("2m", clock="sim") as delay:
        active = {(f.kind, f.target): f.spec for f in pos.admin.faults.active()}
        assert active[("duplicate", "pos.webhooks")]["rate"] == 0.3
        assert delay.spec["delay"] == pytest.approx(2.0)
    assert pos.admin.faults.active() == []


def test_a_wrong_duration_or_clock_says_so(erp: ErpHandle) -> None:
    with pytest.raises(SetupError, match="for"):
        erp.outage(for_="soon")
    with pytest.raises(SetupError, match="clock: expected 'wall' or 'sim', got 'lunar'"):
        erp.outage(for_="1m", clock="lunar")  # type: ignore[arg-type]
