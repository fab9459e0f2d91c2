"""`make bench` entry of verification: the quick size verifies a correct synthetic run."""

from __future__ import annotations

import pytest

from benchmarks.verify_run import run


@pytest.mark.slow
def test_quick_benchmark_verifies_a_correct_run_and_times_it_against_reading() -> None:
    result = run(quick=True)
    assert result["passed"] is True
    assert result["expected"] > 45_000
    assert result["tables"] >= 10
    assert result["verify_cpu_s"] > result["read_cpu_s"] > 0
