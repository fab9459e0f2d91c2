"""A simulated run verifies like a live one: `reports.verify` reads the model's tables."""

from __future__ import annotations

import json

import pytest

import scenarios
from tillbench.simulate import run_simulation

reports = pytest.importorskip("reports")


def test_simulated_documents_pass_the_exactly_once_verdict(tmp_path):
    if not hasattr(reports, "verify"):
        pytest.skip("reports.verify is not there yet")
    scenario = scenarios.load("demo").with_overrides(
        **{"chain.stores": 2, "catalog.skus": 200, "returns.rate": 0.1, "voids.post_void": 0.05}
    )
    result = run_simulation(scenario, out=tmp_path)
    run_dir = result.run_dir
    assert result.verified
    assert json.loads((run_dir / "run.json").read_text())["speed"] is None
    assert (run_dir / "junit.xml").exists()
    summary = json.loads((run_dir / "summary.json").read_text())
    once = summary["exactly_once"]
    assert once["expected"] == once["posted"] > 100
    for problem in ("missing", "duplicated", "mismatched", "mismatched_tax", "unposted"):
        assert once[problem]["count"] == 0, problem
    figures = json.loads((run_dir / "capacity.json").read_text())
    converged = {s["name"]: s["actual"] for s in summary["slos"]}["converge_within"]
    assert converged == pytest.approx(figures["convergence"][0]["converged_s"], abs=60.0)
