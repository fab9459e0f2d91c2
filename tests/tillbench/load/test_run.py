"""`tillbench load` end to end: Locust output, settle wait, end-to-end latency and a verdict."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

import scenarios
from tillbench.cli._app import app
from tillbench.load import LoadOptions, run_load

pytestmark = pytest.mark.slow

PLANTED_DROP = Path(__file__).with_name("planted_drop.py")


def test_day_run_writes_locust_output_latency_and_a_passing_verdict(tmp_path: Path) -> None:
    args = ["load", "demo", "--shape", "day", "--duration", "8s", "--rate", "10"]
    result = CliRunner().invoke(app, [*args, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "after the load: settled in" in result.output
    (run_dir,) = tmp_path.iterdir()
    locust = run_dir / "locust"
    assert (locust / "locust_stats.csv").is_file()
    assert (locust / "locust_stats_history.csv").is_file()
    assert (locust / "locust.html").is_file()
    e2e = json.loads((locust / "e2e.json").read_text())
    assert e2e["accepted"] > 0
    assert e2e["committed"] == e2e["accepted"]
    assert 0 < e2e["p50_s"] <= e2e["p95_s"] <= e2e["max_s"]
    assert e2e["settle"]["settled"]
    assert e2e["settle"]["backlog"] == 0
    assert 0 < e2e["settle"]["seconds"] < 120
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["passed"]
    once = summary["exactly_once"]
    assert once["expected"] >= e2e["accepted"]
    assert once["missing"]["count"] == once["duplicated"]["count"] == 0
    assert summary["drift"]["pairs"] > 0
    assert summary["drift"]["pairs_off"] == 0, "stock converged: ERP book = POS book"
    report = (run_dir / "report.html").read_text()
    assert "pos:sale" in report
    assert "not a load run" not in report


def test_a_connector_that_drops_sales_fails_the_load_run(tmp_path: Path) -> None:
    run = run_load(
        scenarios.load("demo"),
        options=LoadOptions(shape="soak", duration_s=6, rate=8, settle_s=20),
        out=tmp_path,
        connector=f"{sys.executable} {PLANTED_DROP}",
    )
    assert run.locust_returncode == 0, "the POS accepted every sale"
    assert run.e2e is not None
    assert run.e2e["missing"] > 0
    assert run.verdict is not None
    assert "missing" in run.verdict.findings
    assert run.exit_code == 1


def test_master_and_two_workers_through_the_integration_verify(tmp_path: Path) -> None:
    args = ["load", "demo", "--shape", "soak", "--duration", "6s", "--rate", "12"]
    result = CliRunner().invoke(app, [*args, "--workers", "2", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    (run_dir,) = tmp_path.iterdir()
    log = (run_dir / "locust" / "locust.log").read_text()
    assert "2 workers connected" in log
    assert "missing" not in log, "a worker blocked long enough to miss its heartbeats"
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["passed"]
    assert summary["exactly_once"]["expected"] >= 15, (
        "12/s offered for 6 s, fewer on a busy machine"
    )
    workers = {p.name for p in (run_dir / "locust" / "accepted").glob("accepted-*.csv")}
    assert len(workers) >= 2


def test_a_batch_connector_is_joined_end_to_end_though_it_posts_in_batches(
    tmp_path: Path,
) -> None:
    """The batch connector posts many invoices in one $batch request: the join reads the
    invoices from the ERP's API, and the wait lasts until its next batch has come."""
    run = run_load(
        scenarios.load("demo"),
        options=LoadOptions(shape="soak", duration_s=5, rate=6, settle_s=60),
        out=tmp_path,
        connector="batch",
    )
    assert run.e2e is not None
    assert run.e2e["accepted"] > 0
    assert run.e2e["committed"] == run.e2e["accepted"]
    assert run.e2e["p50_s"] > 1, "sales wait for the next batch"
    assert run.settle is not None
    assert run.settle["settled"]
    assert run.exit_code == 0, run.verdict.diagnosis if run.verdict else run.verify_error
