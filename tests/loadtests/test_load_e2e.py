"""End-to-end latency: POS acceptance joined with the ERP commit by sale id."""

from __future__ import annotations

from pathlib import Path

import pytest

from tillbench.load.e2e import accepted, end_to_end, erp_commits

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
