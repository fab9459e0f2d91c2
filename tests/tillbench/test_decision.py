"""`tillbench.decision`: objectives from the SLOs or --slo, pass/fail per point, the binding
constraint, and the cheapest point that meets every objective."""

from __future__ import annotations

import pytest

import scenarios
from tillbench.decision import (
    DecisionError,
    binding,
    decide,
    judge,
    objectives,
    parse_objectives,
)


def _row(**values):
    base = {
        "sync_p95_s": 10.0,
        "sync_p99_s": 20.0,
        "converged_s": 30.0,
        "uncommitted": 0,
        "peak_drift_pct": 0.5,
        "api_calls_per_day": 1000.0,
        "window_peak_share": 0.1,
        "erp_peak_hour_utilisation": 0.1,
        "status_429_window": 0,
        "status_429_queue": 0,
        "retries": 0,
        "dead_letters": 0,
        "integration_mode": "realtime",
    }
    return {**base, **values}


def test_the_scenario_slos_become_objectives():
    sc = scenarios.load("demo")
    objs = {o.name: o for o in objectives(sc)}
    assert objs["sync_latency_p95"].limit == 360.0
    assert objs["converge_within"].limit == 600.0
    assert objs["missing"].limit == 0.0
    assert "drift" not in objs


def test_asked_objectives_replace_the_scenario_slos():
    asked = parse_objectives(["drift=1%", "p95=5m"])
    assert asked == {"drift": "1%", "sync_latency_p95": "5m"}
    objs = objectives(scenarios.load("demo"), asked=asked)
    assert [(o.name, o.figure, o.limit) for o in objs] == [
        ("drift", "peak_drift_pct", 1.0),
        ("sync_latency_p95", "sync_p95_s", 300.0),
    ]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("drift", "expected NAME=LIMIT"),
        ("speed=3", "unknown objective 'speed'"),
        ("drift=lots", "expected a share like 1%"),
        ("drift=120%", "between 0% and 100%"),
        ("p95=soon", "expected a duration like 5m"),
        ("missing=-1", "must be ≥ 0"),
    ],
)
def test_bad_objectives_are_one_line_errors(item, message):
    with pytest.raises(DecisionError, match=message):
        parse_objectives([item])


def test_judge_passes_and_fails_each_objective():
    objs = objectives(scenarios.load("demo"), asked={"drift": "1%", "p95": "5s"})
    checks = judge(_row(peak_drift_pct=0.8, sync_p95_s=7.5), objs)
    assert [(c.name, c.passed) for c in checks] == [("drift", True), ("sync_latency_p95", False)]
    assert checks[1].text == "p95 7.5 s > 5.0 s"


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"status_429_window": 3, "window_peak_share": 1.0}, "request window"),
        ({"status_429_queue": 5}, "ERP queue"),
        ({"erp_peak_hour_utilisation": 0.93}, "slots 93%"),
        (
            {"erp_peak_hour_utilisation": 0.8, "connector_workers": 32, "erp_concurrency": 40},
            "32 in flight",
        ),
        ({"retries": 4}, "retries"),
        ({"integration_mode": "batch"}, "interval"),
        ({}, "headroom"),
    ],
)
def test_binding_names_what_limits_a_point(values, expected):
    assert binding(_row(**values)) == expected


def test_the_longest_interval_that_meets_every_objective_is_chosen():
    objs = objectives(scenarios.load("demo"), asked={"drift": "1%"})
    rows = [
        _row(**{"integration.interval": "1m"}, peak_drift_pct=0.4),
        _row(**{"integration.interval": "5m"}, peak_drift_pct=0.9),
        _row(**{"integration.interval": "15m"}, peak_drift_pct=2.5),
    ]
    decision = decide(rows, ["integration.interval"], objs)
    assert decision.chosen == 1
    assert decision.exit_code == 0
    assert decision.answer == "answer: integration.interval=5m — longest interval, 2/3 points pass"
    assert "drift 0.90% ≤ 1.00%" in decision.detail


def test_the_smallest_capacity_wins_when_erp_fields_are_swept():
    objs = objectives(scenarios.load("demo"), asked={"p95": "1m"})
    rows = [
        _row(**{"erp.concurrency": "2"}, sync_p95_s=500.0),
        _row(**{"erp.concurrency": "10"}, sync_p95_s=5.0),
        _row(**{"erp.concurrency": "5"}, sync_p95_s=30.0),
    ]
    decision = decide(rows, ["erp.concurrency"], objs)
    assert decision.chosen == 2
    assert "smallest ERP capacity" in decision.answer


def test_fewest_calls_wins_between_modes():
    objs = objectives(scenarios.load("demo"), asked={"p95": "20m"})
    rows = [
        _row(**{"integration.mode": "realtime"}, api_calls_per_day=50_000.0),
        _row(**{"integration.mode": "batch"}, api_calls_per_day=600.0, sync_p95_s=900.0),
    ]
    decision = decide(rows, ["integration.mode"], objs)
    assert decision.chosen == 1
    assert "fewest ERP calls/day" in decision.answer


def test_when_no_point_passes_the_decision_names_what_fails_first_and_exits_1():
    objs = objectives(scenarios.load("demo"), asked={"p95": "1m", "drift": "50%"})
    rows = [
        _row(
            **{"erp.concurrency": "5"},
            sync_p95_s=9000.0,
            status_429_window=10,
            window_peak_share=1.0,
        ),
        _row(**{"erp.concurrency": "10"}, sync_p95_s=8000.0, status_429_window=10),
    ]
    decision = decide(rows, ["erp.concurrency"], objs)
    assert decision.chosen is None
    assert decision.exit_code == 1
    assert decision.failing_first == "sync_latency_p95"
    assert "none of 2 points meets every objective; sync_latency_p95 fails at 2" in (
        decision.answer
    )
    assert "nearest: erp.concurrency=10" in decision.detail
    assert "binding: request window" in decision.detail
