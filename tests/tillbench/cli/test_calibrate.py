"""`tillbench calibrate`: a scenario fitted to a live run's journal."""

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
