"""Latency distributions of faults and of the ERP's service time."""

from __future__ import annotations

import random
import statistics

import pytest

from mocks.faults import FaultError, Latency


def test_lognormal_latency_matches_median_and_p99() -> None:
    latency = Latency.parse({"median": "100ms", "p99": "900ms"})
    rng = random.Random(42)
    draws = sorted(latency.sample(rng) for _ in range(40_000))
    assert statistics.median(draws) == pytest.approx(0.1, rel=0.05)
    assert draws[int(0.99 * len(draws))] == pytest.approx(0.9, rel=0.1)


def test_fixed_latency_and_scale() -> None:
    latency = Latency.parse("200ms")
    assert latency.sample(random.Random(0), scale=2.0) == pytest.approx(0.4)


def test_latency_rejects_p99_below_median() -> None:
    with pytest.raises(FaultError, match=r"latency\.p99: must be ≥ median"):
        Latency.parse({"median": 1, "p99": 0.5})
