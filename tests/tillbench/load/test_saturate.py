"""The saturation search's control loop against a modelled system (no servers)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tillbench.load.saturate import SLO_NAMES, Slo, Step, breach, search, verdicts


def queue(capacity: float, base_ms: float = 50.0) -> Callable[[float], Step]:
    """A system that serves up to ``capacity`` req/s; latency explodes past it."""

    def run(rate: float) -> Step:
        served = min(rate, capacity)
        p95 = base_ms / max(0.05, 1 - rate / capacity)
        return Step(offered_rps=rate, achieved_rps=served, p95_ms=p95, error_rate=0.0, requests=1)

    return run


@pytest.mark.parametrize("capacity", [7.0, 40.0, 333.0])
def test_search_finds_a_sustainable_rate_below_and_near_capacity(capacity: float) -> None:
    result = search(queue(capacity), slo=Slo(p95_ms=10_000), start_rate=2, factor=1.5, refine=3)
    assert result.broke
    assert result.best is not None
    assert result.best.breach is None
    assert 0.8 * capacity <= result.sustainable_rps <= capacity
    offered = [s.offered_rps for s in result.steps]
    assert offered[:3] == pytest.approx([2, 3, 4.5])
    assert any(s.breach and s.breach.startswith("backlog") for s in result.steps)


def test_latency_slo_stops_the_search_before_the_backlog_does() -> None:
    result = search(queue(100.0), slo=Slo(p95_ms=200), start_rate=10, refine=0)
    assert result.best is not None
    assert result.best.p95_ms <= 200
    assert result.steps[-1].breach is not None
    assert result.steps[-1].breach.startswith("p95")


def test_a_first_step_that_breaks_leaves_no_sustainable_rate() -> None:
    result = search(queue(1.0), slo=Slo(), start_rate=10)
    assert result.best is None
    assert result.sustainable_rps == 0
    assert len(result.steps) == 1


def test_no_breach_up_to_max_rate_says_so() -> None:
    result = search(queue(1e9), slo=Slo(p95_ms=1e9), start_rate=10, max_rate=100)
    assert not result.broke
    assert result.steps[-1].offered_rps <= 100


def test_error_rate_breach_names_both_rates() -> None:
    step = Step(offered_rps=1, achieved_rps=1, p95_ms=1, error_rate=0.05, requests=100)
    assert breach(step, Slo(error_rate=0.01)) == "error rate 5.0% > 1.0%"


def test_search_rejects_a_factor_that_does_not_grow() -> None:
    with pytest.raises(ValueError, match="factor=1"):
        search(queue(10), slo=Slo(), start_rate=1, factor=1)


def step(**overrides: Any) -> Step:
    base: dict[str, Any] = {
        "offered_rps": 10.0,
        "achieved_rps": 10.0,
        "p95_ms": 50.0,
        "error_rate": 0.0,
        "requests": 100,
        "duration_s": 10.0,
    }
    return Step(**{**base, **overrides})


def test_every_slo_has_a_verdict_and_unmeasured_ones_never_break() -> None:
    found = verdicts(step(), Slo(e2e_p95_s=2.0))
    assert set(found) == set(SLO_NAMES)
    assert found["e2e_p95"] == "unmeasured"
    assert found["backlog"] == "unmeasured"
    assert breach(step(), Slo(e2e_p95_s=2.0)) is None
    assert verdicts(step(), Slo(p95_ms=None))["request_p95"] == "unmeasured"


def test_end_to_end_p95_breaks_and_a_never_committed_sale_is_infinitely_late() -> None:
    slo = Slo(e2e_p95_s=2.0)
    assert verdicts(step(e2e_p95_s=1.9), slo)["e2e_p95"] == "ok"
    assert breach(step(e2e_p95_s=2.5), slo) == "end-to-end p95 2.50 s > 2 s"
    assert breach(step(e2e_p95_s=float("inf")), slo) == (
        "end-to-end p95 ∞ (sales never committed) > 2 s"
    )


def test_backlog_growth_breaks_above_its_share_of_the_offered_rate_and_the_noise_floor() -> None:
    slo = Slo(backlog_growth=0.05, backlog_floor=2.0)
    assert verdicts(step(backlog_slope=0.4), slo)["backlog"] == "ok"
    found = breach(step(backlog_slope=1.0, backlog_stderr=0.1), slo)
    assert found == ("backlog growth 1.00 ± 0.10 items/s > 0.50 (5% of offered), +10 over the step")
    assert breach(step(backlog_slope=1.0, backlog_stderr=0.3), slo) is None, "within noise"
    assert breach(step(backlog_slope=1.0, backlog_window_s=1.5), slo) is None
    assert verdicts(step(backlog_slope=-3.0), slo)["backlog"] == "ok"


def test_search_records_the_verdicts_of_each_step() -> None:
    result = search(queue(20.0), slo=Slo(p95_ms=10_000), start_rate=10, refine=0)
    assert all(set(s.verdicts) == set(SLO_NAMES) for s in result.steps)
    assert result.steps[-1].verdicts["served"].startswith("backlog: served")
