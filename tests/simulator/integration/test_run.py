"""`simulate_integration` end to end: the run tables agree with the truth and each other."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from simulator import simulate_traffic
from simulator.integration import MissingTruth, save_moves, simulate_integration
from tests.simulator.integration.support import tiny_scenario

POSTED = {"sale": "invoice", "return": "credit_memo", "post_void": "credit_memo"}


def _run(root: Path, **overrides: object) -> tuple[Path, dict]:
    scenario = tiny_scenario(**overrides)
    simulate_traffic(scenario, root)
    return root, simulate_integration(scenario, root)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    return _run(tmp_path_factory.mktemp("cap"), **{"returns.rate": 0.1, "voids.post_void": 0.05})


def _table(root: Path, name: str):
    return pq.read_table(root / f"{name}.parquet")


def test_every_pos_document_is_posted_once_with_the_right_kind(run):
    root, figures = run
    truth = _table(root, "truth/transactions").to_pylist()
    expected = {r["txn_id"]: POSTED[r["kind"]] for r in truth if r["kind"] in POSTED}
    docs = _table(root, "erp/documents").to_pylist()
    posted = {d["external_document_number"]: d["kind"] for d in docs}
    assert len(docs) == len(posted) == figures["documents"]
    assert posted == expected
    assert {"post_void", "return"} <= {r["kind"] for r in truth}


def test_sync_latency_figures_come_from_the_documents(run):
    root, figures = run
    t = dict(
        zip(
            *(_table(root, "truth/transactions")[c].to_pylist() for c in ("txn_id", "t")),
            strict=True,
        )
    )
    docs = _table(root, "erp/documents")
    latency = np.array(docs["committed_t"].to_pylist()) - np.array(
        [t[x] for x in docs["external_document_number"].to_pylist()]
    )
    assert (latency > 0).all()
    assert figures["sync_latency_s"]["p95"] == pytest.approx(np.percentile(latency, 95))
    assert figures["sync_latency_s"]["max"] == pytest.approx(latency.max())


def test_drift_aggregates_match_the_per_pair_books(run):
    root, _ = run
    stock = _table(root, "samples/stock").to_pandas()
    stock["drift"] = stock["erp_qty"] - stock["pos_qty"]
    per_sample = stock.groupby("sample_id")["drift"]
    drift = _table(root, "samples/drift").to_pandas()
    assert drift["abs_units"].max() > 0
    assert np.array_equal(per_sample.apply(lambda d: d.abs().sum()).to_numpy(), drift["abs_units"])
    assert np.array_equal(per_sample.apply(lambda d: (d != 0).sum()).to_numpy(), drift["pairs_off"])
    assert np.array_equal(per_sample.apply(lambda d: d.abs().max()).to_numpy(), drift["max_abs"])


def test_books_end_where_the_truth_ends(run):
    root, _ = run
    stock = _table(root, "samples/stock").to_pandas()
    last = stock[stock["sample_id"] == stock["sample_id"].max()]
    final = _table(root, "truth/stock_final").to_pandas()
    final = final.astype({"store_id": str, "sku": str}).set_index(["store_id", "sku"])
    last = last.astype({"store_id": str, "sku": str}).set_index(["store_id", "sku"])
    assert len(last) > 100
    assert (last["pos_qty"] == final.loc[last.index, "pos_book"]).all()
    assert (last["erp_qty"] == last["pos_qty"]).all()


def test_connector_samples_drain_and_faults_are_recorded(run):
    root, figures = run
    samples = _table(root, "samples/connector").to_pandas()
    assert samples["backlog"].iloc[-1] == 0
    assert samples["posted"].iloc[-1] == figures["documents"]
    assert samples["backlog"].max() == figures["max_backlog"] > 0
    faults = _table(root, "faults").to_pylist()
    assert [(f["target"], f["kind"], f["start_t"], f["end_t"]) for f in faults] == [
        ("erp", "outage", 1200.0, 1500.0)
    ]
    assert figures["convergence"][0]["converged_s"] > 0
    journal = _table(root, "erp/journal")
    assert pc.sum(pc.equal(journal["status"], 503)).as_py() == figures["status_5xx"] > 0
    meta = json.loads((root / "run.json").read_text())
    assert (meta["kind"], meta["speed"]) == ("simulation", None)


def test_same_truth_same_tables(run, tmp_path):
    root, _ = run
    again, _ = _run(tmp_path, **{"returns.rate": 0.1, "voids.post_void": 0.05})
    for name in ("erp/documents", "erp/journal", "samples/stock", "samples/connector"):
        assert _table(root, name).equals(_table(again, name)), name


def test_oversell_exposure_counts_erp_stock_the_stores_no_longer_have(tmp_path):
    root, figures = _run(
        tmp_path,
        **{
            "integration.mode": "batch",
            "integration.interval": "30m",
            "inventory.days_of_cover": 0.1,
            "catalog.skus": 40,
        },
    )
    stock = _table(root, "samples/stock").to_pandas()
    exposed = np.where(stock["pos_qty"] <= 0, np.maximum(stock["erp_qty"], 0), 0)
    per_sample = stock.assign(exposed=exposed).groupby("sample_id")["exposed"].sum()
    drift = _table(root, "samples/drift").to_pandas()
    assert figures["oversell_exposure_units_peak"] > 0
    assert np.array_equal(per_sample.to_numpy(), drift["oversell_units"].to_numpy())


def test_a_run_directory_without_truth_says_how_to_make_it(tmp_path):
    with pytest.raises(MissingTruth, match=r"transactions.parquet: missing; simulate the traffic"):
        simulate_integration(tiny_scenario(), tmp_path)


def test_erp_samples_add_up_to_the_journal_and_the_utilisation(run):
    root, figures = run
    erp = _table(root, "samples/erp").to_pandas()
    journal = _table(root, "erp/journal").to_pandas()
    assert erp["requests"].sum() == len(journal) == figures["requests"]
    assert erp["status_5xx"].sum() == figures["status_5xx"] > 0
    step = erp["t"].iloc[1] - erp["t"].iloc[0]
    concurrency = tiny_scenario().erp.concurrency
    horizon = max(3600.0, figures["quiesce_end_t"])
    busy = erp["utilisation"].sum() * concurrency * step
    assert busy == pytest.approx(figures["erp_utilisation"] * concurrency * horizon)
    assert 0 <= erp["utilisation"].max() <= 1


def test_a_sweep_point_reads_the_shared_moves_and_writes_only_its_figures(tmp_path):
    scenario = tiny_scenario()
    simulate_traffic(scenario, tmp_path)
    full = simulate_integration(scenario, tmp_path)
    save_moves(scenario, tmp_path, tmp_path / "moves.pickle")
    point = tmp_path / "point"
    point.mkdir()
    (point / "truth").symlink_to(tmp_path / "truth", target_is_directory=True)
    figures = simulate_integration(
        scenario, point, tables=False, moves_from=tmp_path / "moves.pickle"
    )
    assert (point / "capacity.json").is_file()
    assert not (point / "erp").exists()
    for key in ("requests", "peak_drift_units", "peak_pairs_off", "oversell_exposure_units_peak"):
        assert figures[key] == full[key], key
    assert figures["sync_latency_s"] == full["sync_latency_s"]
