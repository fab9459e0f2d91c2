"""`make bench` entry of the domain's documents: figures for a sale, an invoice and the baseline."""

from __future__ import annotations

from benchmarks.documents import run


def test_quick_benchmark_times_the_sale_the_invoice_and_the_baseline() -> None:
    result = run(quick=True)
    assert 0 < result["baseline_us"] < result["sale_us"]
    assert result["invoice_us"] > 0
    ratio = result["sale_us"] / result["baseline_us"]
    assert abs(result["sale_over_baseline"] - ratio) < 0.1
