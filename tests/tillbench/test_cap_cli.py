"""`tillbench simulate` with the integration model, `--sweep`, and `tillbench calibrate`."""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from typer.testing import CliRunner

import scenarios
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


def test_calibrate_writes_a_scenario_that_extends_the_runs(tmp_path):
    run_dir = tmp_path / "run"
    (run_dir / "erp").mkdir(parents=True)
    (run_dir / "scenario.yaml").write_text(scenarios.dump(scenarios.load("demo")))
    (run_dir / "run.json").write_text(json.dumps({"speed": 10}))
    rng = np.random.default_rng(4)
    sigma = math.log(5.0) / 2.3263478740408408
    pq.write_table(
        pa.table(
            {
                "path": ["/api/v2.0/salesInvoices"] * 2000,
                "status": np.full(2000, 201, dtype=np.int16),
                "latency_ms": 50.0 * np.exp(sigma * rng.standard_normal(2000)),
            }
        ),
        run_dir / "erp" / "journal.parquet",
    )
    out = tmp_path / "cal" / "calibrated.yaml"
    out.parent.mkdir()
    result = runner.invoke(app, ["calibrate", str(run_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    document = yaml.safe_load(out.read_text())
    assert document["extends"] == "../run/scenario.yaml"
    calibrated = scenarios.load(out)
    assert calibrated.name == "demo-calibrated"
    assert calibrated.chain == scenarios.load("demo").chain
    assert abs(calibrated.erp.latency.median.total_seconds() - 0.5) < 0.02  # 50 ms x speed 10
    assert abs(calibrated.erp.latency.p99.total_seconds() / 2.5 - 1) < 0.06


def test_calibrate_without_a_run_directory_is_a_one_line_error(tmp_path):
    result = runner.invoke(app, ["calibrate", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("scenario.yaml: missing; give a run directory")
