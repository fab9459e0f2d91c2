"""The comparison scorecard: one row per figure, one column per run, better/worse per row.

"Sales rate with every SLO held" is the run's mean POS sales rate when verification
passed, *SLOs failed* (NaN) when it failed and absent when the run was not verified: a
single run only bounds the sustainable throughput; a sweep over the traffic finds it, or a
saturation search (``tillbench load --shape saturate``), whose sustainable rate is a row of
its own.

Figures come from each run's tables (so runs verified or not compare alike); exactly-once
failure counts and convergence come from the run's verdict, re-derived from its tables
(`reports._derive`; never read back from ``summary.json``). The first run is the baseline.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reports._errors import RunDirError
from reports._saturation import read_saturation
from reports.charts.series import RunData
from reports.html.verdict import read_verdict

__all__ = ["Metric", "Row", "score", "scorecard"]


@dataclass(frozen=True, slots=True)
class Metric:
    key: str
    label: str
    unit: str
    lower_is_better: bool


@dataclass(frozen=True, slots=True)
class Row:
    """One figure for every run; ``verdicts[i]`` is better | worse | same | n/a vs run 0."""

    metric: Metric
    values: list[float | None]
    verdicts: list[str]


METRICS: tuple[Metric, ...] = (
    Metric("sustained", "sales rate with every SLO held", "sales/s", False),
    Metric("saturation", "sustainable rate (saturation search)", "req/s", False),
    Metric("sales_rate", "POS sales offered (mean)", "sales/s", False),
    Metric("throughput", "ERP commits (mean)", "docs/s", False),
    Metric("p50", "sync latency p50", "s", True),
    Metric("p95", "sync latency p95", "s", True),
    Metric("p99", "sync latency p99", "s", True),
    Metric("max", "sync latency max", "s", True),
    Metric("peak_drift", "peak integration drift", "units", True),
    Metric("peak_share", "peak share of pairs off", "%", True),
    Metric("convergence", "convergence after traffic", "s", True),
    Metric("missing", "missing documents", "docs", True),
    Metric("duplicated", "duplicated documents", "docs", True),
    Metric("mismatched", "mismatched documents", "docs", True),
    Metric("api_calls_per_sale", "ERP API calls per sale", "calls", True),
    Metric("errors", "ERP errors (5xx, resets)", "requests", True),
    Metric("throttled", "ERP 429s", "requests", True),
)


def _active_span(t: np.ndarray) -> float:
    return float(t.max() - t.min()) if t.size > 1 else 0.0


def _sustainable(data: RunData) -> float | None:
    """The saturation search's sustainable rate (0 when no step held), None without one."""
    try:
        found = read_saturation(data.run.path)
    except RunDirError:
        return None
    return None if found is None else found.sustainable_rps


def score(data: RunData) -> dict[str, float | None]:
    """The scorecard's figures for one run (None where its tables do not tell)."""
    out: dict[str, float | None] = dict.fromkeys(m.key for m in METRICS)
    out["saturation"] = _sustainable(data)
    txns = data.transactions
    lat = data.latency
    if txns is not None:
        sales = txns.loc[txns["kind"] == "sale", "t"].to_numpy()
        span = _active_span(sales)
        out["sales_rate"] = sales.size / span if span else None
        expected = txns.loc[txns["kind"] != "cancel", "txn_id"]
        docs = data.run.frame("erp/documents", ["external_document_number"])
        if docs is not None:
            numbers = docs["external_document_number"].astype(str)
            counts = numbers.value_counts()
            out["missing"] = float((~expected.isin(counts.index)).sum())
            out["duplicated"] = float((counts[counts > 1] - 1).sum())
        if sales.size and data.journal is not None:
            out["api_calls_per_sale"] = len(data.journal) / sales.size
    if lat is not None and not lat.empty:
        values = lat["latency_s"].to_numpy(dtype="float64")
        for key, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
            out[key] = float(np.percentile(values, q))
        committed = lat["committed_t"].to_numpy()
        span = _active_span(committed)
        out["throughput"] = committed.size / span if span else None
    drift = data.drift
    if drift is not None and not drift.empty:
        out["peak_drift"] = float(drift["units"].max())
        out["peak_share"] = float(drift["share_off"].max() * 100)
        end = data.run.meta.traffic_end_t
        if end is not None:
            after = drift[drift["t"] >= end]
            zero = after[after["units"] == 0]
            out["convergence"] = float(zero["t"].iloc[0] - end) if len(zero) else math.inf
    journal = data.journal
    if journal is not None:
        status = journal["status"].astype("int64")
        out["errors"] = float(((status >= 500) | (status == 0)).sum())
        out["throttled"] = float((status == 429).sum())
    summary = data.shown.summary or {}
    if "convergence_s" in summary and summary.get("passed") is not None:
        value = summary["convergence_s"]
        out["convergence"] = math.inf if value is None else float(value)
    verdict = read_verdict(data.shown.summary, kind=data.run.kind)
    if verdict.status in {"pass", "fail"}:
        out["sustained"] = out["sales_rate"] if verdict.status == "pass" else math.nan
    for failure in verdict.exactly_once:
        if failure.kind in {"missing", "duplicated", "mismatched"}:
            out[failure.kind] = float(failure.count)
    return out


def _judge(base: float | None, value: float | None, lower_is_better: bool) -> str:
    if base is None or value is None:
        return "n/a"
    if math.isnan(base) or math.isnan(value):
        if math.isnan(base) and math.isnan(value):
            return "same"
        return "worse" if math.isnan(value) else "better"
    if math.isclose(base, value, rel_tol=0.02, abs_tol=1e-9):
        return "same"
    better = value < base if lower_is_better else value > base
    return "better" if better else "worse"


def scorecard(runs: Sequence[RunData]) -> list[Row]:
    """Rows of the scorecard; every run is judged against the first (within 2% is same)."""
    figures = [score(run) for run in runs]
    rows = []
    for metric in METRICS:
        values = [f[metric.key] for f in figures]
        if all(v is None for v in values):
            continue
        verdicts = ["baseline"] + [_judge(values[0], v, metric.lower_is_better) for v in values[1:]]
        rows.append(Row(metric, values, verdicts))
    return rows
