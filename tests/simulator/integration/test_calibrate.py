"""Calibration: fitting the ERP's service time from a journal, in simulated time."""

from __future__ import annotations

import json
import math

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import scenarios
from simulator.integration import IntegrationError, calibrate_run, fit_batch, fit_latency
from simulator.integration.calibrate import readable
from simulator.integration.config import Z99


def test_fit_latency_recovers_a_known_lognormal():
    rng = np.random.default_rng(1)
    sigma = math.log(900 / 120) / Z99
    sample = 0.120 * np.exp(sigma * rng.standard_normal(20_000))
    fit = fit_latency(sample)
    assert fit.median_s == pytest.approx(0.120, rel=0.02)
    assert fit.p99_s == pytest.approx(0.900, rel=0.05)
    assert fit.samples == 20_000


def test_fit_latency_needs_enough_samples():
    with pytest.raises(IntegrationError, match="need at least 20 successful single requests"):
        fit_latency(np.ones(5))


def test_fit_batch_recovers_fixed_and_per_operation_cost():
    rng = np.random.default_rng(2)
    ops = rng.integers(1, 101, 5_000)
    latency = (0.2 + 0.04 * ops) * np.exp(0.1 * rng.standard_normal(5_000))
    fit = fit_batch(ops, latency)
    assert fit is not None
    assert fit.fixed_s == pytest.approx(0.2, abs=0.02)
    assert fit.per_operation_s == pytest.approx(0.04, rel=0.03)
    assert fit_batch(np.full(10, 5), np.ones(10)) is None


def _journal(run_dir, *, speed: float, n: int = 5_000) -> None:
    rng = np.random.default_rng(3)
    sigma = math.log(600 / 80) / Z99
    latency_ms = 80.0 * np.exp(sigma * rng.standard_normal(n))
    status = np.where(rng.random(n) < 0.1, 429, 201).astype(np.int16)
    latency_ms[status == 429] = 1.0  # refused at once: must not drag the fit down
    (run_dir / "erp").mkdir(parents=True)
    pq.write_table(
        pa.table(
            {
                "path": ["/api/v2.0/companies(1)/salesInvoices"] * n,
                "status": status,
                "latency_ms": latency_ms,
            }
        ),
        run_dir / "erp" / "journal.parquet",
    )
    (run_dir / "run.json").write_text(json.dumps({"speed": speed}))
    (run_dir / "scenario.yaml").write_text(scenarios.dump(scenarios.load("demo")))


def test_calibrate_run_scales_wall_time_by_the_runs_speed(tmp_path):
    _journal(tmp_path, speed=60.0)
    overrides = calibrate_run(tmp_path)
    median = scenarios.parse_duration(overrides["erp.latency.median"]).total_seconds()
    p99 = scenarios.parse_duration(overrides["erp.latency.p99"]).total_seconds()
    assert median == pytest.approx(0.080 * 60, rel=0.03)
    assert p99 == pytest.approx(0.600 * 60, rel=0.06)
    assert overrides["erp.window.per"] == "5h"  # 5m of wall time at speed 60
    calibrated = scenarios.load("demo").with_overrides(**overrides)
    assert calibrated.erp.latency.median.total_seconds() == pytest.approx(median)


def test_calibrate_run_without_a_journal_says_what_is_missing(tmp_path):
    with pytest.raises(IntegrationError, match=r"journal\.parquet: missing"):
        calibrate_run(tmp_path)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (10.536453, "10.5s"),
        (0.537, "537ms"),
        (0.0123, "12.3ms"),
        (150.0, "2.5m"),
        (18_000.0, "5h"),
    ],
)
def test_calibrated_durations_are_written_as_a_person_would(seconds, text):
    assert readable(seconds) == text
    assert scenarios.parse_duration(text).total_seconds() == pytest.approx(seconds, rel=0.005)
