"""Arrivals follow the hourly profile, weekday shares, events and opening hours."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pytest
from scipy import stats

from simulator import Params
from simulator.arrivals import day_pieces, sample_arrivals
from simulator.traffic import simulate_params
from tests.simulator.support import small_scenario


def _params(**overrides: object) -> Params:
    """Ample stock, so no customer walks out and every arrival is counted."""
    ample = {
        "inventory.days_of_cover": 60,
        "inventory.replenishment.target_days": 60,
        "inventory.replenishment.reorder_days": 30,
    }
    return Params.from_scenario(small_scenario(**{**ample, **overrides}))


def test_realised_arrivals_per_hour_follow_the_profile(tmp_path: Path) -> None:
    params = _params(**{"chain.stores": 20, "duration": "1d", "returns.rate": 0.0})
    simulate_params(params, tmp_path)
    import pyarrow.parquet as pq

    arrivals = pq.read_table(tmp_path / "truth" / "queue.parquet")["arrival_t"].to_numpy()
    hours = (arrivals // 3600).astype(int)
    observed = np.bincount(hours, minlength=24)
    weights = np.asarray(params.hourly)
    is_open = (np.arange(24) * 3600 >= params.open_s) & (np.arange(24) * 3600 < params.close_s)
    expected = weights * is_open / (weights * is_open).sum() * observed.sum()

    assert observed[~is_open].sum() == 0
    result = stats.chisquare(observed[is_open], expected[is_open])
    assert result.pvalue > 0.01


def test_day_total_is_customers_times_weekday_share_and_multiplier() -> None:
    params = _params(**{"traffic.multiplier": 1.5, "start": "2026-11-28T00:00:00"})  # Saturday

    pieces = day_pieces(params, 0)

    expected = params.customers_per_store_day * 7 * params.weekday[5] * 1.5
    assert pieces.expected.sum() == pytest.approx(expected)


def test_event_multiplies_its_day_and_moves_the_peak() -> None:
    base = _params(start="2026-11-27T00:00:00")
    event = _params(
        **{
            "start": "2026-11-27T00:00:00",
            "traffic.events": [
                {"name": "black friday", "date": "2026-11-27", "multiplier": 2.5, "peak": "14:30"}
            ],
        }
    )

    plain, busy = day_pieces(base, 0), day_pieces(event, 0)

    assert busy.expected.sum() == pytest.approx(2.5 * plain.expected.sum())
    assert busy.hour[np.argmax(busy.expected)] == 14
    share_at_14 = busy.expected[busy.hour == 14] / busy.expected.sum()
    assert share_at_14 > plain.expected[plain.hour == 14] / plain.expected.sum()


def test_window_cuts_the_day_and_closed_hours_have_no_arrivals() -> None:
    params = _params(start="2026-11-23T12:00:00", duration="3h")

    pieces = day_pieces(params, 0)

    assert pieces.start_t.min() == 0.0
    assert (pieces.start_t + pieces.length).max() == pytest.approx(3 * 3600)


def test_sampled_counts_scale_with_store_size() -> None:
    params = _params()
    pieces = day_pieces(params, 0)
    rng = np.random.default_rng(3)

    store, t = sample_arrivals(rng, pieces, np.array([0.5, 2.0]))

    counts = np.bincount(store, minlength=2)
    assert counts[1] / counts[0] == pytest.approx(4.0, rel=0.1)
    assert np.all(np.diff(t[store == 0]) >= 0)


def test_multi_day_run_covers_every_day(tmp_path: Path) -> None:
    params = _params(**{"duration": "3d", "chain.stores": 2})
    simulate_params(params, tmp_path)
    import pyarrow.parquet as pq

    days = pq.read_table(tmp_path / "truth" / "transactions.parquet")["business_day"]
    first = params.start.date()
    assert sorted(set(days.to_pylist())) == [first + dt.timedelta(days=d) for d in range(3)]


def test_realised_arrivals_per_weekday_follow_the_shares(tmp_path: Path) -> None:
    params = _params(**{"chain.stores": 6, "duration": "7d", "returns.rate": 0.0})
    simulate_params(params, tmp_path)
    import pyarrow.parquet as pq

    days = pq.read_table(tmp_path / "truth" / "transactions.parquet")
    days = days.filter(pc.not_equal(days["kind"].cast("string"), "post_void"))["business_day"]
    weekday = np.array([d.weekday() for d in days.to_pylist()])
    observed = np.bincount(weekday, minlength=7)
    expected = np.asarray(params.weekday) * observed.sum()

    assert stats.chisquare(observed, expected).pvalue > 0.01
    assert observed[5] > observed[3]  # Saturday busier than Thursday (REFERENCE.md)
