"""`RunData`: the series the charts draw, derived from the run's tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from reports import RunDir
from reports.charts import RunData
from reports.charts.series import bin_width
from tests.reports.report_support import live_run


def test_sync_latency_is_first_commit_minus_completion(live: Path) -> None:
    data = RunData(RunDir.open(live))
    lat = data.latency
    assert lat is not None
    docs = pd.read_parquet(live / "erp/documents.parquet")
    first = docs.groupby("external_document_number")["committed_t"].min()
    truth = pd.read_parquet(live / "truth/transactions.parquet").set_index("txn_id")["t"]
    expected = (first - truth.reindex(first.index)).sort_index()
    got = lat.set_index("txn_id")["latency_s"].sort_index()
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy())


def test_drift_series_sums_absolute_gaps_per_round(live: Path) -> None:
    data = RunData(RunDir.open(live))
    drift = data.drift
    assert drift is not None
    stock = pd.read_parquet(live / "samples/stock.parquet")
    gap = (stock["erp_qty"] - stock["pos_qty"]).abs()
    by_t = gap.groupby(stock["t"]).sum()
    np.testing.assert_allclose(drift["units"].to_numpy(), by_t.to_numpy())
    peak_t = float(drift["t"].iloc[int(np.argmax(drift["units"].to_numpy()))])
    assert 3600.0 <= peak_t <= 4500.0 + 600.0, "the ERP outage makes the peak"


def test_concurrency_is_never_negative_and_bounded_by_requests(live: Path) -> None:
    data = RunData(RunDir.open(live))
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
    data = RunData(RunDir.open(run))
    found = data.backlog
    assert found is not None
    frame, source = found
    assert source.startswith("derived")
    assert frame["backlog"].min() >= 0
    in_outage = frame[(frame["t"] > 3600) & (frame["t"] < 4500)]["backlog"]
    assert in_outage.max() > frame[frame["t"] < 3000]["backlog"].max()


@pytest.mark.parametrize(("span", "width"), [(600, 5.0), (4 * 3600, 300.0), (86_400, 900.0)])
def test_bin_width_gives_at_most_120_bins(span: float, width: float) -> None:
    assert bin_width(span) == width
    assert span / bin_width(span) <= 120


def test_driver_lag_bins_hold_the_largest_lag(live: Path) -> None:
    data = RunData(RunDir.open(live))
    frame = data.driver_lag
    assert frame is not None
    sent = pd.read_parquet(live / "driver/sent.parquet")
    assert frame["max"].max() == pytest.approx(sent["lag_s"].max())
    assert (frame["p95"] <= frame["max"]).all()


def test_aggregated_drift_is_preferred_over_tracked_pairs(simulated: Path) -> None:
    data = RunData(RunDir.open(simulated))
    drift = data.drift
    assert drift is not None
    assert drift["units"].iloc[-1] == (4 * 3600 - 60) // 600
    pairs = len(pd.read_parquet(simulated / "truth/stock_final.parquet"))
    np.testing.assert_allclose(drift["share_off"], 12 / pairs)
