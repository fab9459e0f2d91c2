"""Duplicate ERP document numbers: two posted documents sharing a number fail the verdict."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyarrow as pa

import reports
from reports._numbers import duplicate_numbers
from tests.reports.verify_support import edit


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(number=[f"S-{n:05d}" for n in range(1, len(frame) + 1)])


def _share_numbers(frame: pd.DataFrame, pairs: list[tuple[int, int]]) -> pd.DataFrame:
    numbers = [f"S-{n:05d}" for n in range(1, len(frame) + 1)]
    for keep, copy in pairs:
        numbers[copy] = numbers[keep]
    return frame.assign(number=numbers)


def test_distinct_numbers_pass_and_are_checked(run_dir: Path) -> None:
    edit(run_dir, "erp/documents", _numbered)

    verdict = reports.verify(run_dir)

    assert verdict.passed
    assert verdict.duplicate_numbers is not None
    assert verdict.duplicate_numbers.numbers == 0
    assert verdict.duplicate_numbers.checked == verdict.exactly_once.posted
    slo = next(s for s in verdict.slos if s.name == "duplicate_numbers")
    assert slo.passed
    assert "duplicate_numbers" not in verdict.findings


def test_shared_numbers_fail_the_verdict_and_are_named(run_dir: Path) -> None:
    documents = pd.read_parquet(run_dir / "erp/documents.parquet")
    refs = documents["external_document_number"]
    edit(run_dir, "erp/documents", lambda f: _share_numbers(f, [(3, 4), (10, 11), (10, 12)]))

    verdict = reports.verify(run_dir)

    assert not verdict.passed
    assert verdict.exit_code == 1
    shared = verdict.duplicate_numbers
    assert shared is not None
    assert (shared.numbers, shared.documents) == (2, 5)
    assert [e.number for e in shared.examples] == ["S-00004", "S-00011"]
    assert shared.examples[1].references == sorted(refs[[10, 11, 12]])
    assert "duplicate_numbers" in verdict.findings
    line = next(d for d in verdict.diagnosis if d.startswith("duplicate numbers"))
    assert "S-00004" in line
    assert "S-00011" in line
    assert refs[3] in line
    slo = next(s for s in verdict.slos if s.name == "duplicate_numbers")
    assert not slo.passed
    assert slo.actual == 2
    # every transaction is still posted exactly once: the ERP's numbering alone broke
    assert verdict.exactly_once.missing.count == verdict.exactly_once.duplicated.count == 0
    summary = json.loads((run_dir / "summary.json").read_text(encoding="utf-8"))
    assert summary["duplicate_numbers"]["numbers"] == 2
    assert reports.Verdict.from_dict(summary) == verdict


def test_without_a_number_column_the_check_is_a_note_not_an_objective(run_dir: Path) -> None:
    verdict = reports.verify(run_dir)

    assert verdict.duplicate_numbers is None
    assert "duplicate_numbers" not in [s.name for s in verdict.slos]
    assert any("no number column" in note for note in verdict.notes)


def test_an_older_summary_without_the_field_still_reads(run_dir: Path) -> None:
    verdict = reports.verify(run_dir)
    data = verdict.to_dict()
    del data["duplicate_numbers"]

    assert reports.Verdict.from_dict(data) == verdict


def test_drafts_journal_lines_and_blank_numbers_are_not_compared() -> None:
    documents = pa.table(
        {
            "kind": [
                "invoice",
                "invoice",
                "journal",
                "journal",
                "credit_memo",
                "invoice",
                "invoice",
            ],
            "status": ["Open", "Draft", "Posted", "Posted", "Open", "Open", "Open"],
            "number": ["A1", "A1", "J1", "J1", "A2", None, " "],
            "external_document_number": ["t1", "t2", "m1", "m2", "t3", "t4", "t5"],
        }
    )

    found = duplicate_numbers(documents)

    assert found is not None
    assert (found.numbers, found.checked) == (0, 2)


def test_an_invoice_and_a_credit_memo_sharing_a_number_count() -> None:
    documents = pa.table(
        {
            "kind": ["invoice", "credit_memo", "invoice"],
            "status": ["posted", "posted", "posted"],
            "number": ["7", "7", "8"],
            "external_document_number": ["t1", "t2", "t3"],
        }
    )

    found = duplicate_numbers(documents)

    assert found is not None
    assert found.numbers == 1
    assert found.examples[0].number == "7"
    assert found.examples[0].references == ["t1", "t2"]
