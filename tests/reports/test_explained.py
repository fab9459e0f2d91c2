"""Drift set against what the ERP documents explain: document errors are named as the cause,
stock writes only for drift the documents do not explain."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import reports
from tests.reports.verify_support import (
    Truth,
    copy_document,
    edit,
    read,
    shift_erp_stock,
    stock_effect,
)

STOCK_BLAMED = {"stock_drift_without_document_errors", "stock_drift_beyond_document_errors"}


def _sales(truth: Truth) -> list[str]:
    return [txn for txn, kind in truth.kinds.items() if kind == "sale"]


def _negate(moves: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    return {pair: -units for pair, units in moves.items()}


def _merge(*moves: dict[tuple[str, str], float]) -> dict[tuple[str, str], float]:
    out: dict[tuple[str, str], float] = {}
    for move in moves:
        for pair, units in move.items():
            out[pair] = out.get(pair, 0.0) + units
    return out


def _untouched_pair(path: Path, moved: dict[tuple[str, str], float]) -> tuple[str, str]:
    stock = read(path, "truth/stock_final")
    pairs = zip(stock["store_id"].astype(str), stock["sku"].astype(str), strict=True)
    return next(pair for pair in pairs if pair not in moved)


def _drift_line(verdict: reports.Verdict) -> str:
    return next(line for line in verdict.diagnosis if line.startswith("drift: "))


def test_a_sale_at_another_store_explains_the_drift_it_causes(run_dir: Path, truth: Truth) -> None:
    sale = _sales(truth)[4]
    before = stock_effect(run_dir, sale)
    store = next(iter(before))[0]
    other = "S0002" if store == "S0001" else "S0001"
    edit(
        run_dir,
        "erp/documents",
        lambda d: d.assign(
            store_id=d["store_id"].mask(d["external_document_number"] == sale, other)
        ),
    )
    after = stock_effect(run_dir, sale)
    shift_erp_stock(run_dir, _merge(after, _negate(before)))

    verdict = reports.verify(run_dir)

    explained = verdict.drift_explained
    assert explained is not None
    assert verdict.drift is not None
    assert verdict.drift.pairs_off == 2 * len(before)
    assert explained.residual_pairs == 0
    assert explained.pairs_explained == verdict.drift.pairs_off
    assert verdict.findings == ["posted_to_the_wrong_store", "drift"]
    assert "all of it explained by the document errors above (posted to the wrong store)" in (
        _drift_line(verdict)
    )


@pytest.mark.parametrize("error", ["missing", "reposted", "quantity", "unexpected"])
def test_each_document_error_explains_its_drift(run_dir: Path, truth: Truth, error: str) -> None:
    sale = _sales(truth)[6]
    moved = stock_effect(run_dir, sale)
    if error == "missing":
        edit(run_dir, "erp/documents", lambda d: d[d["external_document_number"] != sale])
        drift = _negate(moved)
        first = "missing"
    elif error == "reposted":
        copy_document(run_dir, sale, reference=f"{sale}-R", document_id="AGAIN")
        drift = moved
        first = "posted_twice_under_another_reference"
    elif error == "quantity":
        docs = read(run_dir, "erp/documents")
        doc = docs.loc[docs["external_document_number"] == sale, "document_id"].iat[0]
        lines = read(run_dir, "erp/document_lines")
        row = lines.index[lines["document_id"] == doc][0]
        lines.loc[row, "quantity"] += 2
        edit(run_dir, "erp/document_lines", lambda _: lines)
        drift = {(next(iter(moved))[0], str(lines.loc[row, "sku"])): -2.0}
        first = "mismatched_quantity"  # after mismatched_tax: the line's tax no longer fits
    else:
        copy_document(run_dir, sale, reference="TEST-1", document_id="X1")
        edit(
            run_dir,
            "erp/document_lines",
            lambda d: d.assign(quantity=d["quantity"].mask(d["document_id"] == "X1", 5.0)),
        )
        drift = {pair: -5.0 * len(read_lines(run_dir, "X1", pair[1])) for pair in moved}
        first = "unexpected"
    shift_erp_stock(run_dir, drift)

    verdict = reports.verify(run_dir)

    assert first in verdict.findings[:-1]
    assert verdict.findings[-1] == "drift", "document errors first, then the drift"
    assert not STOCK_BLAMED & set(verdict.findings)
    assert verdict.drift_explained is not None
    assert verdict.drift_explained.residual_pairs == 0


def read_lines(path: Path, document_id: str, sku: str) -> pd.DataFrame:
    lines = read(path, "erp/document_lines")
    return lines[(lines["document_id"] == document_id) & (lines["sku"].astype(str) == sku)]


def test_drift_beyond_the_documents_is_blamed_on_stock_writes_after_them(
    run_dir: Path, truth: Truth
) -> None:
    sale = _sales(truth)[4]
    moved = stock_effect(run_dir, sale)
    edit(run_dir, "erp/documents", lambda d: d[d["external_document_number"] != sale])
    store, sku = _untouched_pair(run_dir, moved)
    shift_erp_stock(run_dir, {**_negate(moved), (store, sku): 3.0})

    verdict = reports.verify(run_dir)

    assert verdict.findings == ["missing", "drift", "stock_drift_beyond_document_errors"]
    explained = verdict.drift_explained
    assert explained is not None
    assert explained.residual_pairs == 1
    assert explained.pairs_explained == len(moved)
    assert [(p.store_id, p.sku, p.value) for p in explained.residual_examples] == [
        (store, sku, 3.0)
    ]
    assert verdict.diagnosis[-1] == (
        "stock drift beyond document errors: 1 store×SKU pair (3 units) differ by more than "
        "the documents explain — stock was written as absolute values or deltas were lost: "
        f"{store}/{sku} +3"
    )
    assert f"explain {len(moved)} pair" in _drift_line(verdict)


def test_without_document_errors_drift_is_blamed_on_stock_writes(run_dir: Path) -> None:
    stock = read(run_dir, "truth/stock_final")
    store, sku = str(stock["store_id"].iat[0]), str(stock["sku"].iat[0])
    shift_erp_stock(run_dir, {(store, sku): -4.0})

    verdict = reports.verify(run_dir)

    assert verdict.findings == ["stock_drift_without_document_errors"]
    assert verdict.drift_explained is not None
    assert verdict.drift_explained.residual_pairs == 1


def test_documents_committed_after_the_last_sample_are_left_out(
    run_dir: Path, truth: Truth
) -> None:
    lost, late = _sales(truth)[4], _sales(truth)[8]
    moved = stock_effect(run_dir, lost)
    edit(run_dir, "erp/documents", lambda d: d[d["external_document_number"] != lost])
    shift_erp_stock(run_dir, _negate(moved))
    copy_document(run_dir, late, reference=f"{late}-R", document_id="AGAIN", later_s=1e9)

    verdict = reports.verify(run_dir)

    assert verdict.exactly_once.reposted.count == 1
    assert verdict.drift_explained is not None
    assert verdict.drift_explained.residual_pairs == 0, "the late copy is not in the samples"
