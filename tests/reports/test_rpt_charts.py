"""Charts: derived series are right, every chart is drawn or skipped with a reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from rpt_support import live_run, traffic_run

from reports.charts import RUN_CHARTS, Chart, RunData, Skipped, draw, draw_run
from reports.charts.series import bin_width
from reports.tables import RunTables


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return live_run(tmp_path_factory.mktemp("charts"))


@pytest.fixture(scope="module")
def live_charts(live: Path) -> list[Chart | Skipped]:
    return draw_run(RunData(RunTables.open(live)), live / "charts")


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


def test_sync_latency_is_first_commit_minus_completion(live: Path) -> None:
    data = RunData(RunTables.open(live))
    lat = data.latency
    assert lat is not None
    docs = pd.read_parquet(live / "erp/documents.parquet")
    first = docs.groupby("external_document_number")["committed_t"].min()
    truth = pd.read_parquet(live / "truth/transactions.parquet").set_index("txn_id")["t"]
    expected = (first - truth.reindex(first.index)).sort_index()
    got = lat.set_index("txn_id")["latency_s"].sort_index()
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy())


def test_drift_series_sums_absolute_gaps_per_round(live: Path) -> None:
    data = RunData(RunTables.open(live))
    drift = data.drift
    assert drift is not None
    stock = pd.read_parquet(live / "samples/stock.parquet")
    gap = (stock["erp_qty"] - stock["pos_qty"]).abs()
    by_t = gap.groupby(stock["t"]).sum()
    np.testing.assert_allclose(drift["units"].to_numpy(), by_t.to_numpy())
    peak_t = float(drift["t"].iloc[int(np.argmax(drift["units"].to_numpy()))])
    assert 3600.0 <= peak_t <= 4500.0 + 600.0, "the ERP outage makes the peak"


def test_concurrency_is_never_negative_and_bounded_by_requests(live: Path) -> None:
    data = RunData(RunTables.open(live))
    frame = data.concurrency
    journal = data.journal
    assert frame is not None
    assert journal is not None
    assert frame["max"].min() >= 0
    assert frame["max"].max() <= len(journal)
    assert frame["mean"].le(frame["max"]).all()


def test_derived_backlog_when_the_connector_exposes_no_metrics(tmp_path: Path) -> None:
    run = live_run(tmp_path)
    (run / "samples/connector.parquet").unlink()
    data = RunData(RunTables.open(run))
    found = data.backlog
    assert found is not None
    frame, source = found
    assert source.startswith("derived")
    assert frame["backlog"].min() >= 0
    in_outage = frame[(frame["t"] > 3600) & (frame["t"] < 4500)]["backlog"]
    assert in_outage.max() > frame[frame["t"] < 3000]["backlog"].max()


def test_traffic_only_run_keeps_the_traffic_charts(tmp_path: Path) -> None:
    run = traffic_run(tmp_path)
    results = {c.key: c for c in draw_run(RunData(RunTables.open(run)), run / "charts")}
    for key in ("arrivals_by_hour", "queue_waits", "revenue_by_store", "record_inaccuracy"):
        assert isinstance(results[key], Chart), key
    latency = results["latency_over_time"]
    assert isinstance(latency, Skipped)
    assert latency.reason == "erp/documents.parquet is absent"
    drift = results["drift_over_time"]
    assert isinstance(drift, Skipped)
    assert drift.reason == "samples/stock.parquet is absent"


@pytest.mark.parametrize(("span", "width"), [(600, 5.0), (4 * 3600, 300.0), (86_400, 900.0)])
def test_bin_width_gives_at_most_120_bins(span: float, width: float) -> None:
    assert bin_width(span) == width
    assert span / bin_width(span) <= 120


def test_driver_lag_bins_hold_the_largest_lag(live: Path) -> None:
    data = RunData(RunTables.open(live))
    frame = data.driver_lag
    assert frame is not None
    sent = pd.read_parquet(live / "driver/sent.parquet")
    assert frame["max"].max() == pytest.approx(sent["lag_s"].max())
    assert (frame["p95"] <= frame["max"]).all()


def test_a_chart_that_can_no_longer_be_drawn_leaves_no_stale_file(tmp_path: Path) -> None:
    run = live_run(tmp_path)
    spec = next(s for s in RUN_CHARTS if s.key == "drift_over_time")
    first = draw(spec, RunData(RunTables.open(run)), run / "charts")
    assert isinstance(first, Chart)
    (run / "samples/stock.parquet").unlink()
    again = draw(spec, RunData(RunTables.open(run)), run / "charts")
    assert isinstance(again, Skipped)
    assert not first.png.exists()
    assert not first.svg.exists()
