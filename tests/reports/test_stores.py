"""Every document, line and stock movement of a POS transaction at the POS's store: the
wrong store is its own finding and objective, naming both stores."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import reports
from reports import StoreMismatch
from tests.reports.verify_support import Truth, edit, read


def _sales(truth: Truth, count: int) -> list[str]:
    return [txn for txn, kind in truth.kinds.items() if kind == "sale"][:count]


def _store_of(path: Path, txn: str) -> str:
    docs = read(path, "erp/documents")
    return str(docs.loc[docs["external_document_number"] == txn, "store_id"].iat[0])


def _other(store: str) -> str:
    return "S0002" if store == "S0001" else "S0001"


def _move(path: Path, txns: list[str], store_of: dict[str, str]) -> None:
    def moved(docs: pd.DataFrame) -> pd.DataFrame:
        target = docs["external_document_number"].map(store_of)
        docs["store_id"] = target.where(docs["external_document_number"].isin(txns)).fillna(
            docs["store_id"]
        )
        return docs

    edit(path, "erp/documents", moved)


def test_documents_at_another_store_are_named_with_both_stores(run_dir: Path, truth: Truth) -> None:
    sales = _sales(truth, 2)
    home = {txn: _store_of(run_dir, txn) for txn in sales}
    _move(run_dir, sales, {txn: _other(home[txn]) for txn in sales})

    verdict = reports.verify(run_dir)

    once = verdict.exactly_once
    assert once.store_checked
    assert once.wrong_store.count == 2
    assert set(once.wrong_store.examples) == set(sales)
    first = once.wrong_store_examples[0]
    assert first.pos_store == home[first.txn_id]
    assert first.erp_store == _other(home[first.txn_id])
    assert first.where.startswith("invoice ")
    assert once.missing.count == once.duplicated.count == once.mismatched.count == 0
    assert [s.name for s in verdict.slos if not s.passed] == ["wrong_store"]
    assert verdict.findings == ["posted_to_the_wrong_store"]
    assert verdict.diagnosis[0].startswith(
        "posted to the wrong store: 2 transactions with a document or stock movement at "
        f"another store than the POS's, e.g. {first.txn_id} sold at {first.pos_store}, "
        f"{first.where} posted to {first.erp_store}"
    )


def test_a_line_at_another_store_is_found_when_lines_carry_a_store(
    run_dir: Path, truth: Truth
) -> None:
    docs = read(run_dir, "erp/documents")
    lines = read(run_dir, "erp/document_lines")
    store_of = dict(zip(docs["document_id"], docs["store_id"], strict=True))
    lines["store_id"] = lines["document_id"].map(store_of)
    many = lines.groupby("document_id").filter(lambda g: len(g) > 1)["document_id"].iat[0]
    row = lines.index[lines["document_id"] == many][1]
    home = str(lines.loc[row, "store_id"])
    lines.loc[row, "store_id"] = _other(home)
    edit(run_dir, "erp/document_lines", lambda _: lines)
    txn = str(docs.loc[docs["document_id"] == many, "external_document_number"].iat[0])

    once = reports.verify(run_dir).exactly_once

    line_no = int(lines.loc[row, "line_no"])
    kind = "invoice" if truth.kinds[txn] == "sale" else "credit memo"
    assert once.wrong_store_examples == [
        StoreMismatch(txn, home, _other(home), f"line {line_no} of {kind} {many}")
    ]


def test_a_journal_line_of_a_sale_at_another_store_is_found(run_dir: Path, truth: Truth) -> None:
    sale = _sales(truth, 1)[0]
    home = _store_of(run_dir, sale)
    journal = pd.DataFrame(
        {
            "document_id": ["J1"],
            "kind": ["journal"],
            "external_document_number": [f"{sale}:1"],
            "store_id": [_other(home)],
            "status": ["Posted"],
            "total_minor": [0],
            "tax_minor": [0],
            "currency": [None],
            "created_wall": [1_700_000_000.0],
            "committed_t": [1.0],
        }
    )
    edit(run_dir, "erp/documents", lambda d: pd.concat([d, journal], ignore_index=True))

    once = reports.verify(run_dir).exactly_once

    assert once.wrong_store_examples == [
        StoreMismatch(sale, home, _other(home), f"journal line {sale}:1")
    ]
    assert once.unexpected.count == 0, "a journal line is a stock movement, not a document"


def test_an_unknown_store_is_not_a_wrong_one(run_dir: Path, truth: Truth) -> None:
    sale = _sales(truth, 1)[0]
    edit(
        run_dir,
        "erp/documents",
        lambda d: d.assign(store_id=d["store_id"].mask(d["external_document_number"] == sale)),
    )

    verdict = reports.verify(run_dir)

    assert verdict.exactly_once.wrong_store.count == 0
    assert verdict.passed


def test_without_stores_in_the_erp_the_store_is_unchecked_and_said(run_dir: Path) -> None:
    edit(run_dir, "erp/documents", lambda d: d.drop(columns=["store_id"]))

    verdict = reports.verify(run_dir)

    assert not verdict.exactly_once.store_checked
    assert "wrong_store" not in [s.name for s in verdict.slos]
    assert "erp/documents.parquet has no store_id column: stores unchecked" in verdict.notes
    assert verdict.passed
