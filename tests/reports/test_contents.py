"""Tender kinds are compared when the ERP documents record them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import reports
from tests.reports.verify_support import edit, read


def _with_tenders(run_dir: Path) -> pd.DataFrame:
    tenders = read(run_dir, "truth/tenders")
    kinds = tenders.groupby("txn_id")["kind"].agg(lambda k: ",".join(sorted(map(str, k))))
    docs = read(run_dir, "erp/documents")
    docs["tender_kinds"] = docs["external_document_number"].map(kinds)
    return docs


def test_matching_tenders_pass(run_dir: Path) -> None:
    docs = _with_tenders(run_dir)
    edit(run_dir, "erp/documents", lambda _: docs)

    once = reports.verify(run_dir).exactly_once

    assert once.tender_checked
    assert once.mismatched_tender.count == 0


def test_wrong_tender_kind_is_a_tender_mismatch(run_dir: Path) -> None:
    docs = _with_tenders(run_dir)
    row = docs.index[docs["tender_kinds"] == "cash"][0]
    docs.loc[row, "tender_kinds"] = "credit"
    edit(run_dir, "erp/documents", lambda _: docs)

    once = reports.verify(run_dir).exactly_once

    assert once.mismatched_tender.count == 1
    assert once.mismatched_tender.examples == [docs.loc[row, "external_document_number"]]
    assert once.mismatched.count == 1


def test_without_tender_column_tenders_are_noted_unchecked(run_dir: Path) -> None:
    verdict = reports.verify(run_dir)

    assert not verdict.exactly_once.tender_checked
    assert "erp/documents.parquet has no tender_kinds column: tenders unchecked" in verdict.notes
