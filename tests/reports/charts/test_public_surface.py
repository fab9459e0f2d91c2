"""`draw_run`: every chart of a run is drawn or skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from reports import RunDir
from reports.charts import RUN_CHARTS, Chart, RunData, Skipped, draw, draw_run
from tests.reports.report_support import live_run, traffic_run


@pytest.fixture(scope="module")
def live_charts(live: Path) -> list[Chart | Skipped]:
    return draw_run(RunData(RunDir.open(live)), live / "charts")


def test_live_run_draws_every_run_chart(live_charts: list[Chart | Skipped]) -> None:
    drawn = {c.key for c in live_charts if isinstance(c, Chart)}
    expected = {s.key for s in RUN_CHARTS} - {"saturation", "locust", "sweep"}
    assert drawn == expected
    for chart in live_charts:
        if isinstance(chart, Chart):
            assert chart.png.stat().st_size > 5_000
            assert chart.png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            assert b"<svg" in chart.svg.read_bytes()[:2_000]


def test_absent_load_and_sweep_charts_are_skipped_with_reasons(
    live_charts: list[Chart | Skipped],
) -> None:
    skipped = {c.key: c.reason for c in live_charts if isinstance(c, Skipped)}
    assert skipped == {
        "saturation": "no saturation.json: not a saturation search",
        "locust": "no Locust statistics (locust/*_stats_history.csv)",
        "sweep": "not a sweep (no sweep.parquet)",
    }


def test_traffic_only_run_keeps_the_traffic_charts(tmp_path: Path) -> None:
    run = traffic_run(tmp_path)
    results = {c.key: c for c in draw_run(RunData(RunDir.open(run)), run / "charts")}
    for key in ("arrivals_by_hour", "queue_waits", "revenue_by_store", "record_inaccuracy"):
        assert isinstance(results[key], Chart), key
    latency = results["latency_over_time"]
    assert isinstance(latency, Skipped)
    assert latency.reason == "erp/documents.parquet is absent"
    drift = results["drift_over_time"]
    assert isinstance(drift, Skipped)
    assert drift.reason == "samples/stock.parquet is absent"


def test_a_chart_that_can_no_longer_be_drawn_leaves_no_stale_file(tmp_path: Path) -> None:
    run = live_run(tmp_path)
    spec = next(s for s in RUN_CHARTS if s.key == "drift_over_time")
    first = draw(spec, RunData(RunDir.open(run)), run / "charts")
    assert isinstance(first, Chart)
    (run / "samples/stock.parquet").unlink()
    again = draw(spec, RunData(RunDir.open(run)), run / "charts")
    assert isinstance(again, Skipped)
    assert not first.png.exists()
    assert not first.svg.exists()
