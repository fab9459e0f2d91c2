"""Stock conservation, the two ledgers, stock-outs, and never selling what is not there."""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from simulator import Params, simulate_traffic
from simulator.shop import replenishment_instants
from simulator.stock import StockState, clip_sales
from tests.simulator.support import Run, small_scenario


def _frame(run: Run, name: str) -> pd.DataFrame:
    table = run.table(name)
    df = table.to_pandas()
    for col in df.columns:
        if isinstance(df[col].dtype, pd.CategoricalDtype):
            df[col] = df[col].astype(str)
    return pd.DataFrame(df)


def _flows(run: Run) -> pd.DataFrame:
    """sold, returned, receipts, shrink per store and SKU, recomputed from the event tables."""
    tx = _frame(run, "transactions")
    lines = _frame(run, "lines")
    moves = _frame(run, "stock_movements")
    kind = dict(zip(tx["txn_id"], tx["kind"], strict=True))
    lines["kind"] = lines["txn_id"].map(kind)
    live = lines[~lines["voided"]]
    sold = live[live["kind"] == "sale"].groupby(["store_id", "sku"])["quantity"].sum()
    voided_sales = set(tx.loc[tx["kind"] == "post_void", "original_txn_id"])
    back = live[(live["kind"] == "return") | live["txn_id"].isin(voided_sales)]
    returned = back.groupby(["store_id", "sku"])["quantity"].sum()
    receipts = moves[moves["kind"] == "receipt"].groupby(["store_id", "sku"])["quantity"].sum()
    shrink = -moves[moves["kind"] == "shrink"].groupby(["store_id", "sku"])["quantity"].sum()
    flows = pd.DataFrame(
        {"sold": sold, "returned": returned, "receipts": receipts, "shrink": shrink}
    )
    return flows.fillna(0).astype("int64")


def test_stock_is_conserved_per_store_and_sku(rich_run: Run) -> None:
    final = _frame(rich_run, "stock_final").set_index(["store_id", "sku"])
    flows = _flows(rich_run).reindex(final.index, fill_value=0)

    for column in ("sold", "returned", "receipts", "shrink"):
        assert (final[column] == flows[column]).all(), column
    physical = (
        final["initial"] + flows["receipts"] - flows["sold"] + flows["returned"] - flows["shrink"]
    )
    assert (physical == final["physical"]).all()
    assert (final["pos_book"] == final["physical"] + final["shrink"]).all()
    assert flows["shrink"].sum() > 0
    assert flows["receipts"].sum() > 0
    assert flows["returned"].sum() > 0


def test_shrink_is_about_the_configured_share_of_sales(rich_run: Run) -> None:
    final = _frame(rich_run, "stock_final")

    share = final["shrink"].sum() / final["sold"].sum()
    assert share == pytest.approx(rich_run.params.shrink_annual, rel=0.25)


def test_physical_stock_never_goes_negative(rich_run: Run) -> None:
    """Replay physical stock in time order: initial, receipts, shrink, sales, returns."""
    final = _frame(rich_run, "stock_final")
    tx = _frame(rich_run, "transactions")
    lines = _frame(rich_run, "lines")
    moves = _frame(rich_run, "stock_movements")
    kind = dict(zip(tx["txn_id"], tx["kind"], strict=True))
    lines["kind"] = lines["txn_id"].map(kind)
    live = lines[~lines["voided"]]
    sales = live[live["kind"] == "sale"].assign(delta=lambda d: -d["quantity"])
    returns = live[live["kind"] == "return"].assign(delta=lambda d: d["quantity"])
    pv_at = dict(
        zip(
            tx.loc[tx["kind"] == "post_void", "original_txn_id"],
            tx.loc[tx["kind"] == "post_void", "t"],
            strict=True,
        )
    )
    pv = live[live["txn_id"].isin(pv_at)].assign(
        delta=lambda d: d["quantity"], t=lambda d: d["txn_id"].map(pv_at)
    )
    events = pd.concat(
        [
            final[["store_id", "sku"]].assign(t=-1.0, delta=final["initial"]),
            moves[["store_id", "sku", "t"]].assign(delta=moves["quantity"]),
            sales[["store_id", "sku", "t", "delta"]],
            returns[["store_id", "sku", "t", "delta"]],
            pv[["store_id", "sku", "t", "delta"]],
        ]
    )
    # at equal times add stock before taking it
    events = events.sort_values(
        ["store_id", "sku", "t", "delta"], ascending=[True, True, True, False]
    )
    running = events.groupby(["store_id", "sku"])["delta"].cumsum()

    assert running.min() >= 0
    assert len(events) > 10_000


def test_low_cover_causes_stock_outs_and_lost_units(tmp_path: Path) -> None:
    scenario = small_scenario(
        **{
            "inventory.days_of_cover": 0.2,
            "inventory.replenishment.target_days": 0.2,
            "inventory.replenishment.reorder_days": 0.1,
            "duration": "1d",
            "chain.stores": 2,
        }
    )

    summary = simulate_traffic(scenario, tmp_path)

    import pyarrow.parquet as pq

    outs = pq.read_table(tmp_path / "truth" / "stock_outs.parquet")
    final = pq.read_table(tmp_path / "truth" / "stock_final.parquet")
    lost = outs["lost"].to_numpy()
    assert outs.num_rows > 20
    assert summary.lost_units == lost.sum() > 0
    assert np.all(outs["sold"].to_numpy() + lost == outs["requested"].to_numpy())
    assert np.all(lost > 0)
    # a SKU that stocked out was sold to the last unit: its shelf holds only returns, if any
    final = final.to_pandas().astype({"store_id": str, "sku": str}).set_index(["store_id", "sku"])
    keys = set(
        zip(
            outs["store_id"].cast("string").to_pylist(),
            outs["sku"].cast("string").to_pylist(),
            strict=True,
        )
    )
    starved = final.loc[sorted(keys)]
    assert (starved["physical"] - starved["returned"] <= 0).all()


def test_no_stock_outs_with_ample_cover(tmp_path: Path) -> None:
    scenario = small_scenario(
        **{"inventory.days_of_cover": 30, "duration": "1d", "chain.stores": 2}
    )

    summary = simulate_traffic(scenario, tmp_path)

    assert summary.stock_out_lines == 0
    assert Params.from_scenario(scenario).days_of_cover == 30


@functools.cache
def _tiny_params() -> Params:
    return Params.from_scenario(small_scenario(**{"chain.stores": 1, "catalog.skus": 5}))


@given(
    shelf=st.lists(st.integers(0, 6), min_size=1, max_size=5),
    wants=st.lists(st.tuples(st.integers(0, 4), st.floats(0, 100), st.integers(1, 4)), max_size=40),
)
def test_clip_sales_serves_first_come_and_never_oversells(
    shelf: list[int], wants: list[tuple[int, float, int]]
) -> None:
    stock = StockState.create(
        _tiny_params(),
        size_factor=np.ones(1),
        popularity=np.full(5, 0.2),
        category=np.zeros(5, np.int64),
        units_per_customer=1.0,
        rng=np.random.default_rng(0),
    )
    stock.shelf[:] = 0
    stock.shelf[: len(shelf)] = shelf
    before = stock.shelf.copy()
    key = np.array([k for k, _, _ in wants], np.int64)
    t = np.array([x for _, x, _ in wants])
    want = np.array([q for _, _, q in wants], np.int64)

    sold = clip_sales(stock, key, t, want).sold

    assert np.all((sold >= 0) & (sold <= want))
    for k in range(5):
        mine = np.flatnonzero(key == k)
        order = mine[np.lexsort((t[mine],))]
        assert sold[order].sum() == min(want[order].sum(), before[k])
        short = np.flatnonzero(sold[order] < want[order])
        if len(short):  # after the first short line, nobody gets anything
            assert np.all(sold[order][short[0] + 1 :] == 0)
    assert np.array_equal(stock.shelf, before - np.bincount(key, weights=sold, minlength=5))


def test_deliveries_follow_every_and_at() -> None:
    params = Params.from_scenario(
        small_scenario(
            **{"inventory.replenishment.every": "2d", "inventory.replenishment.at": "06:00"}
        )
    )

    instants = replenishment_instants(params, 0.0, 5 * 86_400.0)

    assert instants == [6 * 3600.0, 2 * 86_400 + 6 * 3600.0, 4 * 86_400 + 6 * 3600.0]
