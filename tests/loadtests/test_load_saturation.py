"""Saturation search against the mock ERP's capacity model, and `tillbench load` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scenarios
from tillbench.cli._app import app
from tillbench.load import LoadOptions, Slo, run_load

CONCURRENCY = 2
MEDIAN_S = 0.1
CAPACITY_RPS = CONCURRENCY / MEDIAN_S
"""Little's law: 2 slots each busy 100 ms per invoice serve 20 invoices/s."""
TOLERANCE = 0.35


@pytest.mark.slow
def test_saturation_finds_the_configured_capacity_of_the_mock_erp(tmp_path: Path) -> None:
    scenario = scenarios.override(
        scenarios.load("demo"),
        {
            "erp.concurrency": CONCURRENCY,
            "erp.latency.median": f"{MEDIAN_S * 1000:.0f}ms",
            "erp.latency.p99": f"{MEDIAN_S * 1200:.0f}ms",
            "erp.latency.load_factor": 0.0,
        },
    )
    options = LoadOptions(
        shape="saturate", rate=5, step_s=6, user_rate=1, refine=1, slo=Slo(p95_ms=1000)
    )
    run = run_load(scenario, options=options, out=tmp_path)
    assert run.saturation is not None
    steps = run.saturation.steps
    assert run.saturation.broke, steps
    found = run.saturation.sustainable_rps
    assert abs(found - CAPACITY_RPS) <= TOLERANCE * CAPACITY_RPS, steps
    evidence = json.loads((run.run_dir / "saturation.json").read_text())
    assert len(evidence["steps"]) == len(steps)
    assert evidence["steps"][-1]["offered_rps"] == steps[-1].offered_rps
    assert any(step["breach"] for step in evidence["steps"])
    assert sorted((run.run_dir / "locust").glob("step-*_stats.csv"))


@pytest.mark.slow
def test_tillbench_load_day_writes_locust_output_and_end_to_end_latency(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "load",
            "demo",
            "--shape",
            "day",
            "--duration",
            "8s",
            "--rate",
            "10",
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0, result.output
    (run_dir,) = tmp_path.iterdir()
    locust = run_dir / "locust"
    assert (locust / "locust_stats.csv").is_file()
    assert (locust / "locust_stats_history.csv").is_file()
    assert (locust / "locust.html").is_file()
    e2e = json.loads((locust / "e2e.json").read_text())
    assert e2e["accepted"] > 0
    assert e2e["committed"] == e2e["accepted"]
    assert 0 < e2e["p50_s"] <= e2e["p95_s"] <= e2e["max_s"]
    report = (run_dir / "report.html").read_text()
    assert "pos:sale" in report
    assert "not a load run" not in report
