"""`tillbench simulate` with the integration model and `--sweep`."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
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
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    sweep_dir = _only_dir(tmp_path)
    assert sweep_dir.name.endswith("demo-sweep")
    assert pq.read_table(sweep_dir / "sweep.parquet").num_rows == 4
    assert "real time against batch" in result.output
    assert "15m" in result.output


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
