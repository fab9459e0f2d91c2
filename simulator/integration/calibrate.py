"""Calibrate the ERP's service time from a live run's ERP journal.

`fit_latency` fits a lognormal to the latency of successful single-record requests (the
POSTs that create documents when there are enough of them, else every request; median
= exp(mean log), sigma = std log, p99 = median × e^(2.326·sigma)); `fit_batch` fits
``$batch`` cost = fixed + per_operation × operations by least squares on the median latency
per batch size. `calibrate_run` turns both into scenario overrides **in simulated time**:
the mock ERP answers on the wall clock, and at ``speed`` X one wall second is X simulated
seconds, so every fitted duration (and the request window) is multiplied by the run's speed.

The journal's latency includes waiting for a slot; fit on a lightly loaded run (the
default scenario's ERP is far from saturated at demo scale) or the fit absorbs queueing.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.compute as pc
from numpy.typing import NDArray

import scenarios
from domain.rundir import ContractError, RunMeta, read_table
from simulator.integration.config import Z99
from simulator.integration.errors import IntegrationError

__all__ = ["BatchFit", "LatencyFit", "calibrate_run", "fit_batch", "fit_latency", "readable"]

F64 = NDArray[np.float64]
MIN_SAMPLES = 20


@dataclasses.dataclass(frozen=True, slots=True)
class LatencyFit:
    """A lognormal fitted to latencies in seconds."""

    median_s: float
    sigma: float
    samples: int

    @property
    def p99_s(self) -> float:
        return self.median_s * math.exp(Z99 * self.sigma)


@dataclasses.dataclass(frozen=True, slots=True)
class BatchFit:
    """``$batch`` latency ≈ fixed + per_operation × operations (seconds)."""

    fixed_s: float
    per_operation_s: float
    samples: int


def fit_latency(latency_s: F64) -> LatencyFit:
    """Fit a lognormal to positive latencies (seconds)."""
    x = np.asarray(latency_s, dtype=np.float64)
    x = x[x > 0]
    if len(x) < MIN_SAMPLES:
        raise IntegrationError(
            f"calibrate: need at least {MIN_SAMPLES} successful single requests, got {len(x)}; "
            "use a longer live run"
        )
    logs = np.log(x)
    return LatencyFit(float(np.exp(logs.mean())), float(logs.std(ddof=1)), len(x))


def fit_batch(operations: NDArray[np.int64], latency_s: F64) -> BatchFit | None:
    """Least squares of median latency on batch size; None without two distinct sizes."""
    ops = np.asarray(operations)
    lat = np.asarray(latency_s, dtype=np.float64)
    sizes = np.unique(ops)
    if len(sizes) < 2:
        return None
    medians = np.array([np.median(lat[ops == s]) for s in sizes])
    slope, intercept = np.polyfit(sizes.astype(np.float64), medians, 1)
    return BatchFit(max(0.0, float(intercept)), max(0.0, float(slope)), len(lat))


def readable(seconds: float) -> str:
    """A duration to three significant figures in the largest unit that keeps it ≥ 1:
    ``537ms``, ``10.5s``, ``2.5m``, ``5h`` (what a person writes in a scenario)."""
    for unit, size in (("h", 3600.0), ("m", 60.0), ("s", 1.0)):
        if seconds >= size:
            return f"{float(f'{seconds / size:.3g}'):g}{unit}"
    return f"{float(f'{max(seconds * 1000.0, 0.001):.3g}'):g}ms"


def calibrate_run(run_dir: Path) -> dict[str, Any]:
    """Scenario overrides (dotted keys, simulated time) fitted from ``run_dir``'s journal."""
    run_dir = Path(run_dir)
    journal = run_dir / "erp" / "journal.parquet"
    if not journal.exists():
        raise IntegrationError(f"{journal}: missing; calibrate needs a live run's ERP journal")
    try:
        meta = RunMeta.read(run_dir)
        table = read_table(run_dir, "erp/journal", needed=("status", "latency_ms"))
    except ContractError as error:
        raise IntegrationError(str(error)) from None
    speed = (meta.speed if meta is not None else None) or 1.0
    ok = pc.and_(pc.greater_equal(table["status"], 200), pc.less(table["status"], 300))
    table = table.filter(ok)
    paths = table["path"].to_pylist() if "path" in table.column_names else [""] * len(table)
    batch = np.array(["$batch" in (p or "") for p in paths], dtype=np.bool_)
    latency = table["latency_ms"].to_numpy() / 1000.0
    posts = ~batch
    if "method" in table.column_names:
        method = np.array([str(m) for m in table["method"].to_pylist()])
        if np.count_nonzero(posts & (method == "POST")) >= MIN_SAMPLES:
            posts &= method == "POST"
    single = fit_latency(latency[posts])
    overrides: dict[str, Any] = {
        "erp.latency.median": readable(single.median_s * speed),
        "erp.latency.p99": readable(single.p99_s * speed),
    }
    if batch.any() and "operations" in table.column_names:
        fit = fit_batch(table["operations"].to_numpy()[batch], latency[batch])
        if fit is not None:
            overrides["erp.batch.fixed"] = readable(fit.fixed_s * speed)
            overrides["erp.batch.per_operation"] = readable(fit.per_operation_s * speed)
    if speed != 1.0 and (run_dir / "scenario.yaml").exists():
        window = scenarios.load(run_dir / "scenario.yaml").erp.window.per
        overrides["erp.window.per"] = readable((window * speed) / timedelta(seconds=1))
    return overrides
