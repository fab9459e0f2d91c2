"""End-to-end latency: POS acceptance joined with the ERP commit by sale id."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tillbench.load.e2e import accept_rows, accepted, end_to_end, erp_commits

INVOICES = "/api/v2.0/companies(c1)/salesInvoices"


def row(method: str, status: int, ts: float, latency_ms: float, ref: str) -> dict[str, object]:
    return {
        "method": method,
        "path": INVOICES,
        "status": status,
        "ts": ts,
        "latency_ms": latency_ms,
        "ref": ref,
    }


def test_join_uses_first_accept_and_first_successful_commit(tmp_path: Path) -> None:
    (tmp_path / "accepted-1.csv").write_text("A,100.0\nB,101.0\n")
    (tmp_path / "accepted-2.csv").write_text("A,99.5\nC,102.0\n")
    rows = [
        {
            "method": "POST",
            "path": INVOICES,
            "status": 503,
            "ts": 100.0,
            "latency_ms": 5,
            "ref": "A",
        },
        {
            "method": "POST",
            "path": INVOICES,
            "status": 201,
            "ts": 101.0,
            "latency_ms": 500,
            "ref": "A",
        },
        {
            "method": "POST",
            "path": INVOICES,
            "status": 201,
            "ts": 103.0,
            "latency_ms": 0,
            "ref": "B",
        },
        row("GET", 200, 90.0, 0, "C"),
        {
            "method": "POST",
            "path": INVOICES,
            "status": 201,
            "ts": 104.0,
            "latency_ms": 0,
            "ref": "Z",
        },
    ]
    result = end_to_end(accepted(tmp_path), erp_commits(rows))
    assert sorted(result.latencies_s) == pytest.approx([2.0, 2.0])
    summary = result.summary()
    assert (summary["accepted"], summary["committed"], summary["missing"]) == (3, 2, 1)
    assert summary["p95_s"] == pytest.approx(2.0)


def test_accept_rows_read_both_formats_and_keep_the_first_acceptance(tmp_path: Path) -> None:
    (tmp_path / "accepted-1.csv").write_text(
        "S1-w0-1-p1,10.0,S1,sale\nR1-w0-1-p1,11.0,R1,return\nS1-w0-1-p1,9.0,S1,sale\n"
    )
    (tmp_path / "accepted-2.csv").write_text("OLD,12.0\nbroken\n")
    rows = accept_rows(tmp_path)
    assert [(a.txn_id, a.wall, a.base_id, a.kind) for a in rows] == [
        ("S1-w0-1-p1", 9.0, "S1", "sale"),
        ("R1-w0-1-p1", 11.0, "R1", "return"),
        ("OLD", 12.0, "", "sale"),
    ]
    assert accepted(tmp_path) == {"S1-w0-1-p1": 9.0, "OLD": 12.0}


def test_p95_over_all_accepted_counts_a_missing_sale_as_infinitely_late() -> None:
    commits = {f"T{i}": 100.0 + i / 10 for i in range(19)}
    accepts = {f"T{i}": 100.0 for i in range(20)}
    result = end_to_end(accepts, commits)
    assert result.percentile_all(0.95) == pytest.approx(1.8)
    accepts.update({"T20": 100.0, "T21": 100.0})
    assert math.isinf(end_to_end(accepts, commits).percentile_all(0.95))
    assert math.isnan(end_to_end({}, commits).percentile_all(0.95))


def test_a_run_without_commits_has_no_percentiles_but_valid_json() -> None:
    summary = end_to_end({"A": 1.0}, {}).summary()
    assert summary == {
        "accepted": 1,
        "committed": 0,
        "missing": 1,
        "p50_s": None,
        "p95_s": None,
        "max_s": None,
    }
