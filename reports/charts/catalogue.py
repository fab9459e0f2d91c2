"""The report's chart list and the drawing loop (see `reports.charts`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
from matplotlib.figure import Figure

from reports.charts import drift, flow, latency, load, retries, saturation, sweep, traffic
from reports.charts._style import RC, save
from reports.charts.model import Chart, Skipped
from reports.charts.series import RunData

__all__ = [
    "NOT_FOR_LOAD_RUNS",
    "RUN_CHARTS",
    "ChartSpec",
    "draw",
    "draw_run",
]

Drawn = tuple[Figure, str] | str


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """One chart of the report: key (file stem), report section, title, drawing function."""

    key: str
    section: str
    title: str
    draw: Callable[[RunData], Drawn]


RUN_CHARTS: tuple[ChartSpec, ...] = (
    ChartSpec("latency_over_time", "latency", "Sync latency over time", latency.latency_over_time),
    ChartSpec("latency_cdf", "latency", "Sync latency distribution", latency.latency_cdf),
    ChartSpec("throughput", "flow", "Throughput", flow.throughput),
    ChartSpec("backlog", "flow", "Connector backlog", flow.backlog),
    ChartSpec("erp_concurrency", "flow", "ERP concurrency in use", flow.concurrency),
    ChartSpec("driver_lag", "flow", "Traffic driver lag", flow.driver_lag),
    ChartSpec("erp_retries", "erp_errors", "ERP 503s and retries", retries.retries_over_time),
    ChartSpec("drift_over_time", "drift", "Integration drift over time", drift.drift_over_time),
    ChartSpec("drift_heatmap", "drift", "Drift per store × category", drift.drift_heatmap),
    ChartSpec("arrivals_by_hour", "traffic", "Arrivals by hour", traffic.arrivals_by_hour),
    ChartSpec("queue_waits", "traffic", "Checkout queue waits", traffic.queue_waits),
    ChartSpec("revenue_by_store", "traffic", "Revenue by store", traffic.revenue_by_store),
    ChartSpec("stock_outs", "traffic", "Stock-outs", traffic.stock_outs),
    ChartSpec("record_inaccuracy", "traffic", "Record inaccuracy", traffic.record_inaccuracy),
    ChartSpec(
        "saturation",
        "load",
        "Saturation search",
        lambda data: saturation.saturation_steps(data.run.path),
    ),
    ChartSpec("locust", "load", "Locust load", lambda data: load.locust_history(data.run.path)),
    ChartSpec("sweep", "sweep", "Sweep curves", lambda data: sweep.sweep_curves(data.run.path)),
)

NOT_FOR_LOAD_RUNS = frozenset({"driver_lag", "queue_waits", "stock_outs", "record_inaccuracy"})
"""Charts whose tables a load run never has (run.json with a ``load`` key): Locust drives the
POS, not the traffic driver (no ``driver/sent``); there is no simulated checkout queue
(``truth/queue``), no physical stock (``truth/stock_final``) and opening stock is 10^9 per
pair, so nothing sells out. The report leaves them out instead of listing them as absent."""


def draw(spec: ChartSpec, data: RunData, out: Path) -> Chart | Skipped:
    """Draw one chart into ``out`` (PNG + SVG), or say why not and remove a stale copy."""
    with mpl.rc_context(cast(Any, RC)):
        drawn = spec.draw(data)
        if isinstance(drawn, str):
            for stale in (out / f"{spec.key}.png", out / f"{spec.key}.svg"):
                stale.unlink(missing_ok=True)
            return Skipped(spec.key, spec.section, spec.title, drawn)
        fig, caption = drawn
        png, svg = save(fig, out, spec.key)
    return Chart(spec.key, spec.section, spec.title, png, svg, caption)


def draw_run(
    data: RunData, out: Path, specs: tuple[ChartSpec, ...] = RUN_CHARTS
) -> list[Chart | Skipped]:
    """Every chart of ``specs`` for the run, in order."""
    return [draw(spec, data, out) for spec in specs]
