"""The diagnosis names causes before what they cause: the connector's exit, then every
document-level error, then drift — and never says "posted exactly once" or blames stock
writes when documents explain the drift."""

from __future__ import annotations

import json
from pathlib import Path

import reports
from reports._diagnosis import findings
from tests.reports.verify_support import (
    Truth,
    copy_document,
    edit,
    read,
    shift_erp_stock,
    stock_effect,
)


def _sales(truth: Truth) -> list[str]:
    return [txn for txn, kind in truth.kinds.items() if kind == "sale"]


def _add(into: dict[tuple[str, str], float], moves: dict[tuple[str, str], float], k: float) -> None:
    for pair, units in moves.items():
        into[pair] = into.get(pair, 0.0) + k * units


def test_causes_come_first_in_a_fixed_order(run_dir: Path, truth: Truth) -> None:
    sales = _sales(truth)
    lost, moved, again, twice, changed, nothing = (sales[i] for i in (40, 10, 20, 30, 50, 60))
    drift: dict[tuple[str, str], float] = {}
    _add(drift, stock_effect(run_dir, lost), -1)
    edit(run_dir, "erp/documents", lambda d: d[d["external_document_number"] != lost])
    before = stock_effect(run_dir, moved)
    store = next(iter(before))[0]
    other = "S0002" if store == "S0001" else "S0001"
    edit(
        run_dir,
        "erp/documents",
        lambda d: d.assign(
            store_id=d["store_id"].mask(d["external_document_number"] == moved, other)
        ),
    )
    _add(drift, before, -1)
    _add(drift, stock_effect(run_dir, moved), 1)
    copy_document(run_dir, again, reference=f"{again}-R", document_id="AGAIN")
    _add(drift, stock_effect(run_dir, again), 1)
    copy_document(run_dir, twice, reference=twice, document_id="TWICE")
    _add(drift, stock_effect(run_dir, twice), 1)
    docs = read(run_dir, "erp/documents")
    doc = docs.loc[docs["external_document_number"] == changed, "document_id"].iat[0]
    lines = read(run_dir, "erp/document_lines")
    row = lines.index[lines["document_id"] == doc][0]
    lines.loc[row, "quantity"] += 1
    edit(run_dir, "erp/document_lines", lambda _: lines)
    _add(drift, {(store_of(run_dir, doc), str(lines.loc[row, "sku"])): 1.0}, -1)
    copy_document(run_dir, nothing, reference="TEST-1", document_id="X1")
    edit(
        run_dir,
        "erp/document_lines",
        lambda d: d.assign(quantity=d["quantity"].mask(d["document_id"] == "X1", 9.0)),
    )
    nine = read(run_dir, "erp/document_lines")
    for sku in nine.loc[nine["document_id"] == "X1", "sku"].astype(str):
        _add(drift, {(store_of(run_dir, "X1"), sku): 9.0}, -1)
    shift_erp_stock(run_dir, drift)
    meta = json.loads((run_dir / "run.json").read_text())
    meta["connector_exits"] = [{"t": 60.0, "code": 1, "restarted": True}]
    (run_dir / "run.json").write_text(json.dumps(meta))

    verdict = reports.verify(run_dir)

    assert verdict.findings == [
        "connector_exited",
        "missing",
        "posted_to_the_wrong_store",
        "posted_twice_under_another_reference",
        "duplicated",
        "mismatched_tax",
        "mismatched_amount",
        "mismatched_quantity",
        "unexpected",
        "drift",
    ], verdict.diagnosis
    assert verdict.drift_explained is not None
    assert verdict.drift_explained.residual_pairs == 0
    drift_line = verdict.diagnosis[-1]
    assert (
        "all of it explained by the document errors above (missing, posted to the wrong "
        "store, posted twice under another reference, duplicated, mismatched quantity, "
        "unexpected documents)"
    ) in drift_line
    assert not any("exactly once" in line for line in verdict.diagnosis)
    assert not any("absolute values" in line for line in verdict.diagnosis)


def store_of(path: Path, document_id: str) -> str:
    docs = read(path, "erp/documents")
    return str(docs.loc[docs["document_id"] == document_id, "store_id"].iat[0])


def test_findings_are_the_heads_of_the_lines() -> None:
    lines = [
        "connector exited: the connector exited with code 1 at t=5 s and was restarted",
        "posted twice under another reference: 1 transaction …",
        "all good: nothing",
    ]

    assert findings(lines) == ["connector_exited", "posted_twice_under_another_reference"]
