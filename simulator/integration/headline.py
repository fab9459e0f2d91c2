"""`capacity.json`: the headline figures of one simulated run.

Sync latency is committed − completion of every POS document (invoices and credit memos;
hybrid journals excluded). Convergence and API calls per day follow the verifier's
definitions (``reports`` judges the same run directory; a test keeps both equal):
convergence after traffic is the first drift sample at or after the last completion whose
drift (sum of |ERP − POS| over every pair) is 0, minus that completion; after a fault, the
first sample at or after its end where drift is back to its normal level (the 90th
percentile of the samples before the fault outside every fault window, 0 for a fault that
ends after the traffic); calls per day = calls × 86,400 / the seconds of traffic (to the
last completion).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from simulator.integration.config import ModelConfig
from simulator.integration.drift import Drift
from simulator.integration.outcome import Outcome
from simulator.integration.stream import JOURNAL, DocStream

__all__ = ["headline"]

DAY = 86_400.0


def _pct(values: np.ndarray, q: float) -> float | None:
    return float(np.percentile(values, q)) if len(values) else None


def _settle(t: np.ndarray, level: np.ndarray, end_t: float, target: float) -> float | None:
    """Seconds from ``end_t`` to the first sample at or after it with drift ≤ ``target``."""
    settled = np.flatnonzero((t >= end_t) & (level <= target + 1e-9))
    return None if not len(settled) else float(t[settled[0]]) - end_t


def _fault_settling(drift: Drift, config: ModelConfig, traffic_end: float) -> list[float | None]:
    t, level = drift.t, drift.abs_units.astype(np.float64)
    quiet = np.ones(len(t), dtype=bool)
    for w in config.faults.windows:
        quiet &= ~((t >= w.start_t) & (t <= w.end_t))
    out = []
    for w in config.faults.windows:
        before = level[(t < w.start_t) & quiet]
        normal = float(np.percentile(before, 90)) if w.end_t < traffic_end and len(before) else 0.0
        out.append(_settle(t, level, w.end_t, normal))
    return out


def _peak_hour(outcome: Outcome, concurrency: int) -> float:
    """ERP slot-seconds of work in the busiest clock hour (by request start) / capacity."""
    if not len(outcome.req_t):
        return 0.0
    hour = np.floor(outcome.req_t / 3600.0).astype(np.int64)
    work = np.bincount(hour - hour.min(), weights=outcome.req_service)
    return float(work.max() / (concurrency * 3600.0))


def headline(
    *,
    stream: DocStream,
    outcome: Outcome,
    drift: Drift,
    config: ModelConfig,
    duration_s: float,
    backlog: np.ndarray,
    stock_pairs: int = 0,
    stock_units: int = 0,
) -> dict[str, Any]:
    """The figures an architect asks for, JSON-ready.

    ``stock_pairs`` and ``stock_units`` (store × SKU pairs with stock, and their opening
    units) turn peak drift into shares: ``peak_drift_pct`` (pairs whose ERP book differs
    from the POS book, % of pairs) and ``peak_drift_units_pct`` (|drift| units, % of units).
    """
    n = len(stream)
    own = (stream.origin == np.arange(n)) & (stream.kind != JOURNAL)
    committed = outcome.committed[own]
    done = ~np.isnan(committed)
    latency = committed[done] - stream.t[own][done]
    sales = max(1, stream.sales)
    requests = len(outcome.req_t)
    horizon = max(duration_s, outcome.end_t)
    traffic_end = float(stream.t[own].max()) if own.any() else 0.0
    convergence = [
        {
            "fault": w.id,
            "target": w.target,
            "kind": w.kind,
            "end_t": w.end_t,
            "converged_s": settle,
        }
        for w, settle in zip(
            config.faults.windows, _fault_settling(drift, config, traffic_end), strict=True
        )
    ]
    status = outcome.req_status
    peak_pairs = int(drift.pairs_off.max(initial=0))
    peak_units = int(drift.abs_units.max(initial=0))
    return {
        "mode": config.mode,
        "documents": int(own.sum()),
        "sales": int(stream.sales),
        "uncommitted": int((~done).sum()),
        "sync_latency_s": {
            "p50": _pct(latency, 50),
            "p95": _pct(latency, 95),
            "p99": _pct(latency, 99),
            "max": float(latency.max()) if len(latency) else None,
            "mean": float(latency.mean()) if len(latency) else None,
        },
        "max_backlog": int(backlog.max(initial=0)),
        "erp_utilisation": outcome.busy_s / (config.concurrency * horizon) if horizon else 0.0,
        "requests": requests,
        "batch_requests": int(outcome.req_batch.sum()),
        "status_429": int((status == 429).sum()),
        "status_5xx": int((status >= 500).sum()),
        "status_409": int((status == 409).sum()),
        "status_429_window": int(outcome.window_429),
        "status_429_queue": int(outcome.queue_429),
        "window_peak_share": outcome.window_peak / config.window_requests,
        "erp_peak_hour_utilisation": _peak_hour(outcome, config.concurrency),
        "retries": len(outcome.retry_t),
        "dead_letters": len(outcome.dead_t),
        "double_posted": int((~np.isnan(outcome.committed[stream.origin != np.arange(n)])).sum()),
        "api_calls_per_sale": requests / sales,
        "api_calls_per_day": requests * DAY / (traffic_end if traffic_end > 0 else duration_s),
        "peak_drift_units": peak_units,
        "peak_pairs_off": peak_pairs,
        "stock_pairs": int(stock_pairs),
        "stock_units": int(stock_units),
        "peak_drift_pct": 100.0 * peak_pairs / stock_pairs if stock_pairs else None,
        "peak_drift_units_pct": 100.0 * peak_units / stock_units if stock_units else None,
        "peak_max_abs_drift": int(drift.max_abs.max(initial=0)),
        "mean_drift_units": float(drift.abs_units.mean()) if len(drift.abs_units) else 0.0,
        "oversell_exposure_units_peak": int(drift.oversell_units.max(initial=0)),
        "oversell_exposure_unit_minutes": float(
            drift.oversell_units.sum()
            * (drift.t[1] - drift.t[0] if len(drift.t) > 1 else 0.0)
            / 60.0
        ),
        "traffic_end_t": traffic_end,
        "quiesce_end_t": float(outcome.end_t),
        "converged_after_traffic_s": _settle(drift.t, drift.abs_units, traffic_end, 0.0)
        if done.any()
        else None,
        "convergence": convergence,
        "limits": {
            "concurrency": config.concurrency,
            "queue": config.queue,
            "window_requests": config.window_requests,
            "window_s": config.window_s,
            "interval_s": config.interval_s if config.mode != "realtime" else None,
            "workers": config.options.workers,
        },
    }
