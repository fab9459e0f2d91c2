"""Saturation search against the mock ERP's capacity model, alone and through the integration."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

import scenarios
from tillbench.load import LoadOptions, Slo, run_load

CONCURRENCY = 2
MEDIAN_S = 0.1
CAPACITY_RPS = CONCURRENCY / MEDIAN_S
"""Little's law: 2 slots each busy 100 ms per invoice serve 20 invoices/s."""
TOLERANCE = 0.35

pytestmark = pytest.mark.slow


def _erp(concurrency: int) -> Any:
    return scenarios.override(
        scenarios.load("demo"),
        {
            "erp.concurrency": concurrency,
            "erp.latency.median": f"{MEDIAN_S * 1000:.0f}ms",
            "erp.latency.p99": f"{MEDIAN_S * 1200:.0f}ms",
            "erp.latency.load_factor": 0.0,
        },
    )


def test_saturation_finds_the_configured_capacity_of_the_mock_erp(tmp_path: Path) -> None:
    options = LoadOptions(
        shape="saturate",
        target="erp",
        rate=5,
        step_s=6,
        user_rate=1,
        refine=1,
        slo=Slo(p95_ms=1000),
    )
    run = run_load(_erp(CONCURRENCY), options=options, out=tmp_path)
    assert run.saturation is not None
    steps = run.saturation.steps
    assert run.saturation.broke, steps
    found = run.saturation.sustainable_rps
    assert abs(found - CAPACITY_RPS) <= TOLERANCE * CAPACITY_RPS, steps
    evidence = json.loads((run.run_dir / "saturation.json").read_text())
    assert len(evidence["steps"]) == len(steps)
    assert evidence["steps"][-1]["offered_rps"] == steps[-1].offered_rps
    assert any(step["breach"] for step in evidence["steps"])
    assert all(step["verdicts"]["e2e_p95"] == "unmeasured" for step in evidence["steps"])
    assert len(sorted((run.run_dir / "locust" / "steps").glob("step-*_stats.csv"))) == len(steps)
    assert run.verdict is None, "the ERP alone has no POS truth to verify"


def test_saturation_through_the_integration_is_judged_end_to_end(tmp_path: Path) -> None:
    """One ERP slot at 100 ms caps the integration at 10 invoices/s: the search must stop at
    or below it, every step measured end to end and on the connector's backlog, and every
    sale the POS accepted over the whole search must still reach the ERP exactly once."""
    erp_capacity = 1 / MEDIAN_S
    options = LoadOptions(
        shape="saturate", rate=4, step_s=6, user_rate=1, slo=Slo(e2e_p95_s=2.0), drain_s=20
    )
    run = run_load(_erp(1), options=options, out=tmp_path)
    saturation = run.saturation
    assert saturation is not None
    assert saturation.broke, saturation.steps
    assert 4 * 0.9 <= saturation.sustainable_rps <= erp_capacity * 1.15, saturation.steps
    for step in saturation.steps:
        assert step.e2e_p95_s is not None
        assert step.backlog_slope is not None, "the reference connector reports its backlog"
        assert step.accepted
        assert step.drain_s is not None
    assert saturation.best is not None
    assert saturation.best.e2e_p95_s is not None
    assert saturation.best.e2e_p95_s <= 2.0
    assert run.verdict is not None
    assert run.verdict.findings == [], run.verdict.diagnosis
    assert run.exit_code == 0
    with (run.run_dir / "locust" / "saturation_stats.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(saturation.steps)
    history = (run.run_dir / "locust" / "saturation_stats_history.csv").read_text().splitlines()
    stamps = sorted({int(line.split(",")[0]) for line in history[1:]})
    assert stamps[-1] - stamps[0] >= len(saturation.steps) * options.step_s
    report = (run.run_dir / "report.html").read_text()
    assert "offered req/s" in report
    assert run.e2e is not None
    assert run.e2e["committed"] == run.e2e["accepted"] > 0
