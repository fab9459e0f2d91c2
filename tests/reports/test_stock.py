"""Integration drift, record inaccuracy and convergence from the stock samples."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import reports
from tests.reports.verify_support import SAMPLE_EVERY_S, Truth, edit, read

PAIRS = [("S0001", "SKU-00011", -2.0), ("S0002", "SKU-00141", -3.0), ("S0001", "SKU-00090", 1.0)]


def _shift(samples: pd.DataFrame, from_t: float, until_t: float = float("inf")) -> pd.DataFrame:
    window = (samples["t"] >= from_t) & (samples["t"] < until_t)
    for store, sku, delta in PAIRS:
        pair = (samples["store_id"] == store) & (samples["sku"] == sku)
        samples.loc[window & pair, "erp_qty"] += delta
    return samples


def test_absolute_stock_writes_show_as_drift_without_document_errors(
    run_dir: Path, truth: Truth
) -> None:
    edit(run_dir, "samples/stock", lambda s: _shift(s, truth.traffic_end_t - 600))

    verdict = reports.verify(run_dir)

    drift = verdict.drift
    assert drift is not None
    assert drift.pairs_off == 3
    assert drift.sum_abs == 6
    assert drift.max_abs == 3
    assert drift.share_off == pytest.approx(3 / 600)
    assert [(p.store_id, p.sku, p.value) for p in drift.examples] == [
        ("S0002", "SKU-00141", -3.0),
        ("S0001", "SKU-00011", -2.0),
        ("S0001", "SKU-00090", 1.0),
    ]
    once = verdict.exactly_once
    assert once.missing.count == once.duplicated.count == once.mismatched.count == 0
    assert verdict.convergence_s is None
    assert [slo.name for slo in verdict.slos if not slo.passed] == ["converge_within"]
    assert verdict.findings == ["stock_drift_without_document_errors"]
    assert verdict.diagnosis == [
        "stock drift without document errors: every transaction was posted exactly once, yet "
        "the ERP book differs from the POS book in 3 store×SKU pairs (6 units) at the end — "
        "stock was written as absolute values or deltas were lost: "
        "S0002/SKU-00141 -3, S0001/SKU-00011 -2, S0001/SKU-00090 +1"
    ]


def test_drift_series_follows_the_samples(run_dir: Path, truth: Truth) -> None:
    edit(run_dir, "samples/stock", lambda s: _shift(s, 1200.0, 1800.0))

    drift = reports.verify(run_dir).drift

    assert drift is not None
    off = [point.t for point in drift.series if point.sum_abs]
    assert off == [1200.0, 1320.0, 1440.0, 1560.0, 1680.0]
    assert all(point.pairs_off == 3 for point in drift.series if point.sum_abs)
    assert drift.sum_abs == 0


def test_convergence_after_a_fault_waits_for_drift_to_settle(run_dir: Path) -> None:
    faults = read(run_dir, "faults")
    outage_end = float(faults.loc[faults["kind"] == "outage", "end_t"].iat[0])
    edit(run_dir, "samples/stock", lambda s: _shift(s, 0.0, outage_end + 3 * SAMPLE_EVERY_S))

    verdict = reports.verify(run_dir)

    event = next(e for e in verdict.convergence if e.after.startswith("fault f1"))
    assert event.end_t == outage_end
    assert event.target == 6, "drift before the fault is its typical level during traffic"
    assert event.seconds is not None
    assert event.seconds == pytest.approx(
        (outage_end // SAMPLE_EVERY_S + 1) * SAMPLE_EVERY_S - outage_end
    )


def test_fault_convergence_beyond_the_objective_fails(run_dir: Path) -> None:
    faults = read(run_dir, "faults")
    outage = faults[faults["kind"] == "outage"].iloc[0]
    edit(run_dir, "samples/stock", lambda s: _shift(s, outage["start_t"], outage["end_t"] + 900))

    verdict = reports.verify(run_dir)

    slo = next(s for s in verdict.slos if s.name == "converge_within")
    assert not slo.passed
    assert slo.actual == 900, "outage ends at 1500 s, drift is 0 again at the 2400 s sample"
    assert slo.detail == "900 s after fault f1 (erp outage), 600 s over 300 s"


def test_record_inaccuracy_is_pos_minus_physical_and_never_drift(run_dir: Path) -> None:
    final = read(run_dir, "truth/stock_final")

    verdict = reports.verify(run_dir)

    inaccuracy = verdict.record_inaccuracy
    assert inaccuracy is not None
    gap = final["pos_book"] - final["physical"]
    assert inaccuracy.sum_abs == gap.abs().sum() > 0
    assert inaccuracy.pairs_off == (gap != 0).sum()
    assert verdict.drift is not None
    assert verdict.drift.sum_abs == 0


def test_unreadable_samples_are_counted_not_compared(run_dir: Path) -> None:
    def blind(samples: pd.DataFrame) -> pd.DataFrame:
        samples.loc[samples.index[-5:], "erp_qty"] = None
        return samples

    edit(run_dir, "samples/stock", blind)

    drift = reports.verify(run_dir).drift

    assert drift is not None
    assert drift.unreadable == 5
    assert drift.pairs == 595
    assert drift.sum_abs == 0


def test_without_samples_drift_is_unmeasured_and_fails_convergence(run_dir: Path) -> None:
    (run_dir / "samples" / "stock.parquet").unlink()

    verdict = reports.verify(run_dir)

    assert verdict.drift is None
    slo = next(s for s in verdict.slos if s.name == "converge_within")
    assert (slo.passed, slo.detail) == (False, "no stock samples: drift was not measured")
    assert any(note.startswith("samples/stock.parquet absent") for note in verdict.notes)


def test_unreadable_samples_during_an_outage_are_not_settled(run_dir: Path) -> None:
    faults = read(run_dir, "faults")
    outage = faults[faults["kind"] == "outage"].iloc[0]

    def outage_blinds_the_erp(samples: pd.DataFrame) -> pd.DataFrame:
        samples = _shift(samples, outage["start_t"], outage["end_t"] + 2 * SAMPLE_EVERY_S)
        blind = (samples["t"] >= outage["start_t"]) & (samples["t"] <= outage["end_t"] + 60)
        samples.loc[blind, "erp_qty"] = None
        return samples

    edit(run_dir, "samples/stock", outage_blinds_the_erp)

    verdict = reports.verify(run_dir)

    assert verdict.drift is not None
    blind = [p for p in verdict.drift.series if p.unreadable]
    assert blind
    assert all(p.sum_abs == 0 and p.unreadable == 600 for p in blind)
    event = next(e for e in verdict.convergence if e.after.startswith("fault f1"))
    assert event.converged_t == outage["end_t"] + 2 * SAMPLE_EVERY_S + 60
