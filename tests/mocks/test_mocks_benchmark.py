"""The benchmark and its load generator."""

from __future__ import annotations

from collections import Counter

import pytest

from mocks.loadgen import Tally, summarize


def test_summarize_counts_only_2xx_as_throughput() -> None:
    tally = Tally(
        latencies=[0.001 * i for i in range(1, 101)], statuses=Counter({201: 90, 429: 10})
    )
    result = summarize(tally, duration=2.0)
    assert result["throughput_rps"] == 45.0
    assert result["p50_ms"] == pytest.approx(51.0)
    assert result["p99_ms"] == pytest.approx(100.0)
    assert result["statuses"] == {"201": 90, "429": 10}


@pytest.mark.slow
def test_quick_benchmark_measures_both_apps() -> None:
    from mocks.benchmark import run

    result = run(quick=True)
    plain = result["plain_fastapi_in_memory"]
    erp = result["erp_sqlite_1_worker"]
    assert plain["ok"] > 0
    assert erp["saturated"]["statuses"] == {"201": erp["saturated"]["requests"]}
    assert erp["half_load"]["ok"] > 0
    assert result["ratio_erp_to_plain"] == pytest.approx(
        erp["saturated"]["throughput_rps"] / plain["throughput_rps"], rel=1e-2
    )
