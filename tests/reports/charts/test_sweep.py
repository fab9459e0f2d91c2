"""Sweep directories: one curve per value of the other swept keys, and their report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from reports.charts.sweep import sweep_curves, sweep_keys, sweep_tables
from reports.html import build_report
from tests.reports.report_support import sweep_dir


def test_sweep_draws_one_curve_per_other_key(tmp_path: Path) -> None:
    folder = sweep_dir(tmp_path / "sweep")
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
    folder = sweep_dir(tmp_path / "sweep")
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
