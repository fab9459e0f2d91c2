"""Tables of other producers: the capacity model's aggregated drift and headline figures,
sweeps, Locust statistics."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rpt_support import live_run

from reports.charts import RunData
from reports.charts.load import locust_history
from reports.charts.sweep import sweep_curves, sweep_keys, sweep_tables
from reports.html import build_report, read_verdict
from reports.html.figures import capacity_rows
from reports.tables import RunTables


@pytest.fixture
def simulated(tmp_path: Path) -> Path:
    """A run as the capacity model writes it: no wall clock, aggregated drift, capacity.json."""
    run = live_run(tmp_path, "sim", verdict=False)
    meta = json.loads((run / "run.json").read_text())
    meta.update(kind="simulation", speed=None, wall_origin=None)
    (run / "run.json").write_text(json.dumps(meta))
    t = np.arange(0.0, 4 * 3600.0, 60.0)
    pd.DataFrame(
        {
            "t": t,
            "abs_units": (t // 600).astype("int64"),
            "pairs_off": np.full(t.size, 12, "int64"),
            "max_abs": np.ones(t.size, "int64"),
            "oversell_units": np.zeros(t.size, "int64"),
        }
    ).to_parquet(run / "samples/drift.parquet")
    capacity = {
        "api_calls_per_sale": 1.5,
        "mode": "batch",
        "sync_latency_s": {"p95": 42.0},
        "convergence": [{"fault": 1, "target": "erp", "kind": "outage", "converged_s": None}],
    }
    (run / "capacity.json").write_text(json.dumps(capacity))
    (run / "summary.json").write_text(json.dumps({"kind": "simulation", "capacity": capacity}))
    (run / "verify-skipped.txt").write_text("erp/document_lines.parquet is missing")
    return run


def test_simulation_has_no_wall_clock(simulated: Path) -> None:
    assert RunTables.open(simulated).speed == 1.0


def test_aggregated_drift_is_preferred_over_tracked_pairs(simulated: Path) -> None:
    data = RunData(RunTables.open(simulated))
    drift = data.drift
    assert drift is not None
    assert drift["units"].iloc[-1] == (4 * 3600 - 60) // 600
    pairs = len(pd.read_parquet(simulated / "truth/stock_final.parquet"))
    np.testing.assert_allclose(drift["share_off"], 12 / pairs)


def _locust(run: Path) -> None:
    (run / "locust").mkdir(parents=True)
    stamps = np.arange(1_700_000_000, 1_700_000_060, 5)
    pd.DataFrame(
        {
            "Timestamp": stamps,
            "User Count": np.arange(stamps.size),
            "Type": "",
            "Name": "Aggregated",
            "Requests/s": np.linspace(0, 50, stamps.size),
            "Failures/s": 0.0,
            "50%": 20,
            "95%": 80,
            "99%": 120,
        }
    ).to_csv(run / "locust/load_stats_history.csv", index=False)
    pd.DataFrame(
        {
            "Type": ["POST", ""],
            "Name": ["/driver/v1/transactions", "Aggregated"],
            "Request Count": [1234, 1234],
            "Failure Count": [2, 2],
        }
    ).to_csv(run / "locust/load_stats.csv", index=False)


def test_capacity_figures_and_why_unverified_are_reported(simulated: Path) -> None:
    _locust(simulated)
    rows = dict(capacity_rows(RunData(RunTables.open(simulated))))
    assert rows["api calls per sale"] == "1.5"
    assert rows["sync latency p95"] == "42"
    assert rows["converged after fault 1 (erp outage)"] == "never"
    html = build_report(simulated).read_text(encoding="utf-8")
    assert "NOT VERIFIED" in html
    assert "erp/document_lines.parquet is missing" in html
    assert 'id="capacity"' in html
    assert 'id="chart-locust"' in html
    assert "<td>/driver/v1/transactions</td>" in html


def test_summary_without_slos_is_not_a_verdict() -> None:
    view = read_verdict({"kind": "simulation", "capacity": {}}, kind="simulation")
    assert view.status == "not verified"


def _sweep(folder: Path) -> Path:
    folder.mkdir()
    rows = [
        {
            "integration.interval": i,
            "erp.concurrency": str(c),
            "sync_p95_s": s,
            "api_calls_per_sale": a,
        }
        for (i, c, s, a) in [
            ("1m", 2, 40.0, 1.0),
            ("5m", 2, 200.0, 0.3),
            ("15m", 2, 600.0, 0.1),
            ("1m", 5, 30.0, 1.0),
            ("5m", 5, 180.0, 0.3),
            ("15m", 5, 560.0, 0.1),
        ]
    ]
    pd.DataFrame(rows).to_parquet(folder / "sweep.parquet")
    sweep = {"erp.concurrency": ["2", "5"], "integration.interval": ["1m", "5m", "15m"]}
    (folder / "sweep.json").write_text(json.dumps({"sweep": sweep}))
    return folder


def test_sweep_draws_one_curve_per_other_key(tmp_path: Path) -> None:
    folder = _sweep(tmp_path / "sweep")
    frame = pd.read_parquet(folder / "sweep.parquet")
    assert sweep_keys(folder, frame) == ["erp.concurrency", "integration.interval"]
    drawn = sweep_curves(folder)
    assert not isinstance(drawn, str)
    fig, caption = drawn
    assert caption == "One curve per value of erp.concurrency."
    assert fig.axes[-1].get_xlabel() == "integration.interval (s)"
    latency_axis = fig.axes[0]
    assert latency_axis.get_ylabel() == "sync_p95_s"
    lines = latency_axis.get_lines()
    assert len(lines) == 2
    assert np.asarray(lines[0].get_xdata(), dtype=float).tolist() == [60.0, 300.0, 900.0]


def test_sweep_directory_gets_a_sweep_report(tmp_path: Path) -> None:
    folder = _sweep(tmp_path / "sweep")
    points, *_ = sweep_tables(folder)
    assert points.columns == [
        "erp.concurrency",
        "integration.interval",
        "sync_p95_s",
        "api_calls_per_sale",
    ]
    assert points.rows[1] == ["2", "5m", "200", "0.3"]
    html = build_report(folder).read_text(encoding="utf-8")
    assert "SWEEP" in html
    assert "<h3>Sweep points</h3>" in html
    assert 'id="chart-sweep"' in html
    assert 'id="latency"' not in html


def test_locust_history_is_drawn_when_present(tmp_path: Path) -> None:
    run = tmp_path / "load"
    _locust(run)
    drawn = locust_history(run)
    assert not isinstance(drawn, str)
    rate_axis = drawn[0].axes[0]
    assert np.asarray(rate_axis.get_lines()[0].get_ydata(), dtype=float)[-1] == 50.0
