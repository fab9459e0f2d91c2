"""Who applies each fault (the mocks, the driver, the harness; against a real ERP the mock
ERP's faults are not applicable), the mocks' names and wall seconds, and the fault rows
on the run's clock — checked without servers."""

from __future__ import annotations

from pathlib import Path

import pytest

import scenarios
from domain.clock import RunClock
from tests.tillbench.live.support import MIXED
from tillbench.live.faults import NOT_APPLICABLE, plan_faults


@pytest.fixture
def mixed(tmp_path: Path) -> scenarios.Scenario:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED)
    return scenarios.load(str(path))


def test_erp_faults_are_not_applicable_to_a_real_erp(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "name: s\nextends: demo\nduration: 15m\nfaults:\n"
        '  - {at: "11:03", for: 2m, target: erp, kind: outage}\n'
        '  - {at: "11:06", for: 3m, target: "store:1", kind: offline}\n'
        '  - {at: "11:07", for: 1m, target: pos, kind: errors, rate: 0.5}\n'
    )
    scenario = scenarios.load(str(path))

    mock = plan_faults(scenario, speed=60.0)
    real = plan_faults(scenario, speed=60.0, erp_faults=False)

    assert [f.applied_by for f in mock.faults] == ["erp", "driver", "pos"]
    assert [f.applied_by for f in real.faults] == [NOT_APPLICABLE, "driver", "pos"]
    assert [f.target for f in real.timeline()] == ["store:1", "pos"]
    assert [f.target for f in real.not_applicable()] == ["erp"]
    assert [f.target for f in real.mock_faults()] == ["pos"]


def test_faults_go_to_whoever_applies_them(mixed: scenarios.Scenario) -> None:
    plan = plan_faults(mixed, speed=60.0)
    assert [(f.id, f.applied_by) for f in plan.faults] == [
        ("f0", "erp"),
        ("f1", "pos"),
        ("f2", "pos"),
        ("f3", "driver"),
        ("f4", "harness"),
        ("f5", "ignored"),
        ("f6", "erp"),
    ]
    assert plan.offline_windows() == {"S0003": [(1200.0, 1320.0)]}
    assert [f.id for f in plan.connector_outages()] == ["f4"]


def test_mock_fault_specs_use_the_mocks_names_and_wall_seconds(
    mixed: scenarios.Scenario,
) -> None:
    plan = {f.id: f for f in plan_faults(mixed, speed=60.0).faults}
    assert plan["f0"].runtime_spec(60.0) == {"target": "erp", "kind": "outage", "for": 5.0}
    errors = plan["f1"].runtime_spec(60.0)
    assert errors == {
        "target": "pos",
        "kind": "error",
        "status": 500,
        "rate": 0.2,
        "for": 5.0,
        "paths": ["/v2/"],
    }
    limited = plan["f6"].runtime_spec(60.0)
    assert limited == {
        "target": "erp",
        "kind": "rate_limit",
        "status": 429,
        "rate": 0.5,
        "for": 2.0,
    }
    delay = plan["f2"].runtime_spec(60.0)
    assert delay["kind"] == "delay"
    assert delay["delay"] == pytest.approx(1.0)
    assert "paths" not in delay


def test_fault_rows_place_the_window_on_the_run_clock(mixed: scenarios.Scenario) -> None:
    clock = RunClock(wall_origin=1_000.0, speed=60.0)
    row = plan_faults(mixed, speed=60.0).faults[0].row(clock)
    assert (row["start_t"], row["end_t"]) == (600.0, 900.0)
    assert (row["start_wall"], row["end_wall"]) == (1_010.0, 1_015.0)
    applied = plan_faults(mixed, speed=60.0).faults[0].row(clock, (1_010.004, 1_015.004))
    assert applied["start_wall"] == 1_010.004
