"""`make bench` entry of the report: the quick size runs and reports its figures."""

from __future__ import annotations

import pytest

from benchmarks.report_build import run
from reports.charts import RUN_CHARTS


@pytest.mark.slow
def test_quick_benchmark_builds_every_chart() -> None:
    result = run(quick=True)
    assert result["transactions"] == 50_000
    assert result["charts"] == len(RUN_CHARTS) - 3, "every run chart but saturation, Locust, sweep"
    assert result["report_bytes"] > 100_000
    assert result["report_cpu_s"] > 0
    assert result["report_s"] < 120
