"""One figure, one value: what `simulate` prints and writes (capacity.json, a sweep's row)
and what `verify` judges for the same simulated run directory agree."""

from __future__ import annotations

import json

import pytest

import reports
import scenarios
from tillbench.simulate import run_simulation
from tillbench.sweep import run_sweep

SMALL = {"chain.stores": 2, "catalog.skus": 200}


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    scenario = scenarios.override(scenarios.load("demo"), SMALL)
    run = run_simulation(scenario, out=tmp_path_factory.mktemp("sim"))
    return scenario, run, reports.verify(run.run_dir)


def test_calls_per_sale_and_per_day_are_the_verdicts(simulated):
    _scenario, run, verdict = simulated
    figures = json.loads((run.run_dir / "capacity.json").read_text())
    cost = verdict.api_cost
    assert cost is not None
    assert figures["requests"] == cost.calls
    assert figures["sales"] == cost.sales
    assert figures["api_calls_per_sale"] == pytest.approx(cost.per_sale, rel=1e-12)
    assert figures["api_calls_per_day"] == pytest.approx(cost.per_day, rel=1e-12)
    # two calls per sale against Business Central drafts, more with the outage's retries
    assert figures["api_calls_per_sale"] >= 2.0


def test_sync_latency_and_convergence_are_the_verdicts(simulated):
    _scenario, run, verdict = simulated
    figures = json.loads((run.run_dir / "capacity.json").read_text())
    assert figures["sync_latency_s"]["p95"] == pytest.approx(verdict.sync_latency.sim.p95)
    events = {e.after: e.seconds for e in verdict.convergence}
    assert figures["converged_after_traffic_s"] == pytest.approx(events["traffic end"])
    for c in figures["convergence"]:
        name = f"fault {c['fault']} ({c['target']} {c['kind']})"
        assert c["converged_s"] == pytest.approx(events[name]), name


def test_a_sweep_row_shows_the_same_figures_as_the_run(simulated, tmp_path):
    scenario, run, _verdict = simulated
    figures = json.loads((run.run_dir / "capacity.json").read_text())
    result = run_sweep(
        scenario, {"erp.concurrency": [scenario.erp.concurrency]}, out=tmp_path, report=False
    )
    (row,) = result.rows
    assert row["sync_p95_s"] == figures["sync_latency_s"]["p95"]
    assert row["api_calls_per_sale"] == figures["api_calls_per_sale"]
    assert row["api_calls_per_day"] == figures["api_calls_per_day"]
    assert row["peak_drift_units"] == figures["peak_drift_units"]
    assert row["converged_after_traffic_s"] == figures["converged_after_traffic_s"]
