"""The simulator benchmark runs and reports both models side by side."""

from __future__ import annotations

import pytest

from benchmarks import simulation as benchmark


@pytest.mark.slow
def test_quick_benchmark_reports_both_models_and_the_chain_day() -> None:
    result = benchmark.run(quick=True)

    naive, fast = result["slice"]["naive_simpy"], result["slice"]["fast_path"]
    assert naive["customers"] > 1000
    assert fast["customers"] == pytest.approx(naive["customers"], rel=0.1)
    assert result["slice"]["speedup"] == pytest.approx(
        fast["customers_per_s"] / naive["customers_per_s"]
    )
    assert result["chain_day"]["transactions"] > 100_000
    assert result["chain_day"]["parquet_bytes"] > 0
    assert result["peak_rss_mb"] > 0
