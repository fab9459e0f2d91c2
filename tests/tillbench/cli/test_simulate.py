"""`tillbench simulate` with the integration model and `--sweep`."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tillbench.cli import app

runner = CliRunner()
SMALL = ["--set", "chain.stores=2", "--set", "catalog.skus=200"]


def _only_dir(root):
    (run_dir,) = [p for p in root.iterdir() if p.is_dir()]
    return run_dir


def test_simulate_runs_traffic_and_the_integration_model(tmp_path):
    result = runner.invoke(app, ["simulate", "demo", *SMALL, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    run_dir = _only_dir(tmp_path)
    figures = json.loads((run_dir / "capacity.json").read_text())
    for name in ("erp/documents", "erp/journal", "samples/stock", "samples/connector", "faults"):
        assert (run_dir / f"{name}.parquet").exists(), name
    assert (run_dir / "truth" / "transactions.parquet").exists()
    assert "sync latency p50 / p95" in result.output
    assert f"{figures['requests']:,}" in result.output
    assert json.loads((run_dir / "run.json").read_text())["kind"] == "simulation"


def test_simulate_traffic_only_writes_no_integration_tables(tmp_path):
    result = runner.invoke(
        app, ["simulate", "demo", "--traffic-only", *SMALL, "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    run_dir = _only_dir(tmp_path)
    assert (run_dir / "truth" / "transactions.parquet").exists()
    assert not (run_dir / "capacity.json").exists()


def test_simulate_sweep_prints_the_grid_and_the_mode_comparison(tmp_path):
    result = runner.invoke(
        app,
        [
            "simulate",
            "demo",
            *SMALL,
            "--out",
            str(tmp_path),
            "--workers",
            "2",
            "--sweep",
            "integration.mode=realtime,batch",
            "--sweep",
            "integration.interval=5m,15m",
        ],
        env={"COLUMNS": "80"},
    )
    sweep_dir = _only_dir(tmp_path)
    assert sweep_dir.name.endswith("demo-sweep")
    # real time has no interval: simulated once, not once per interval
    assert pq.read_table(sweep_dir / "sweep.parquet").num_rows == 3
    document = json.loads((sweep_dir / "sweep.json").read_text())
    decision = document["decision"]
    assert result.exit_code == (0 if decision["chosen"] is not None else 1), result.output
    assert "batch 15m against real time:" in result.output
    assert "answer: " in result.output
    assert "report: " in result.output
    text = [ln for ln in result.output.splitlines() if not ln.startswith(("report:", "sweep dir"))]
    assert max(len(line) for line in text) <= 80, result.output


def test_simulate_exits_1_when_its_verdict_fails(tmp_path):
    result = runner.invoke(
        app,
        ["simulate", "demo", *SMALL, "--set", "slo.sync_latency_p95=1ms", "--out", str(tmp_path)],
    )
    assert result.exit_code == 1, result.output
    assert "verification: failed (sync_latency_p95)" in result.output


def test_a_sweep_that_no_point_passes_exits_1_and_says_what_fails(tmp_path):
    result = runner.invoke(
        app,
        [
            "simulate",
            "demo",
            *SMALL,
            "--out",
            str(tmp_path),
            "--sweep",
            "integration.interval=15m,30m",
            "--set",
            "integration.mode=batch",
            "--slo",
            "drift=0.001%",
        ],
        env={"COLUMNS": "80"},
    )
    assert result.exit_code == 1, result.output
    assert "answer: none of 2 points meets every objective; drift fails at 2" in result.output


def test_a_bad_objective_is_a_usage_error(tmp_path):
    result = runner.invoke(
        app, ["simulate", "demo", "--sweep", "erp.concurrency=1,2", "--slo", "drift=lots"]
    )
    assert result.exit_code == 2
    assert "--slo drift: expected a share like 1%, got 'lots'" in result.output


def test_simulate_rejects_a_malformed_sweep(tmp_path):
    result = runner.invoke(app, ["simulate", "demo", "--sweep", "erp.concurrency"])
    assert result.exit_code == 2
    assert "expected KEY=V1,V2,…" in result.stderr


def test_sweep_and_traffic_only_do_not_mix(tmp_path):
    result = runner.invoke(
        app, ["simulate", "demo", "--traffic-only", "--sweep", "erp.concurrency=1,2"]
    )
    assert result.exit_code == 2
    assert "drop --traffic-only" in result.stderr


HUGE = ["--set", "chain.stores=100000", "--set", "duration=28d"]


@pytest.mark.parametrize("extra", [["--traffic-only"], []], ids=["traffic-only", "model"])
def test_simulate_refuses_a_scenario_too_large_before_generating(extra, tmp_path):
    result = runner.invoke(app, ["simulate", "demo", *extra, *HUGE, "--out", str(tmp_path)])
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("demo: too large for this machine: about 4.2 billion transactions")
    assert "(--set chain.stores=" in line
    assert list(tmp_path.iterdir()) == []


def test_simulate_refuses_a_sweep_point_too_large_before_sweeping(tmp_path):
    sweep = ["--sweep", "chain.stores=2,100000"]
    result = runner.invoke(
        app, ["simulate", "demo", "--set", "duration=28d", *sweep, "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith("--sweep chain.stores=100000: too large for this machine")
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_simulate_refuses_what_this_machine_cannot_hold(tmp_path, monkeypatch):
    monkeypatch.setattr("scenarios._work.available_memory", lambda: 64 * 2**20)
    result = runner.invoke(app, ["simulate", "demo", "--traffic-only", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "64.0 MB are free; simulate a smaller chain for less time" in result.stderr


def test_simulate_reads_set_values_as_scenario_files_do(tmp_path):
    laughs = "[" * 40 + "1" + "]" * 40
    result = runner.invoke(app, ["simulate", "demo", "--set", f"description={laughs}"])
    assert result.exit_code == 2
    assert result.stderr == (
        "--set description: YAML too large: lists and mappings nest more than 32 deep here\n"
    )
