"""Overlaid charts of several runs: latency CDF, throughput and integration drift."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, cast

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reports.charts import Chart, Skipped
from reports.charts import _style as st
from reports.charts.series import RunData

__all__ = ["overlay_charts"]

_STYLES = ["-", "--", ":", "-."]


def _latency_cdf(ax: Axes, data: RunData, label: str) -> bool:
    lat = data.latency
    if lat is None or lat.empty:
        return False
    probs = np.linspace(0, 1, 501)
    values = np.quantile(np.clip(lat["latency_s"].to_numpy(dtype="float64"), 1e-3, None), probs)
    ax.plot(values, probs, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("sync latency (simulated s, log scale)")
    ax.set_ylabel("share of documents")
    return True


def _throughput(ax: Axes, data: RunData, label: str) -> bool:
    lat = data.latency
    if lat is None or lat.empty:
        return False
    t = lat["committed_t"]
    rate = (t // data.bin_s * data.bin_s).value_counts().sort_index() / data.bin_s
    ax.plot(rate.index / 3600, rate.to_numpy(), drawstyle="steps-mid", label=label)
    ax.set_xlabel("simulated time since start (h)")
    ax.set_ylabel("ERP commits per simulated s")
    return True


def _drift(ax: Axes, data: RunData, label: str) -> bool:
    drift = data.drift
    if drift is None or drift.empty:
        return False
    ax.plot(drift["t"] / 3600, drift["units"], label=label)
    ax.set_xlabel("simulated time since start (h)")
    ax.set_ylabel("Σ|ERP − POS| (units)")
    return True


_CHARTS: tuple[tuple[str, str, Callable[[Axes, RunData, str], bool]], ...] = (
    ("compare_latency_cdf", "Sync latency distribution", _latency_cdf),
    ("compare_throughput", "ERP commits over time", _throughput),
    ("compare_drift", "Integration drift over time", _drift),
)


def overlay_charts(
    runs: Sequence[RunData], labels: Sequence[str], out: Path
) -> list[Chart | Skipped]:
    """One chart per figure with a line per run (distinct colour and line style)."""
    results: list[Chart | Skipped] = []
    for key, title, draw in _CHARTS:
        with mpl.rc_context(cast(Any, st.RC)):
            fig = Figure(figsize=st.SIZE, layout="constrained")
            ax = fig.subplots()
            drawn = [draw(ax, run, label) for run, label in zip(runs, labels, strict=True)]
            for line, style in zip(ax.get_lines(), _STYLES * 4, strict=False):
                line.set_linestyle(cast(Any, style))
            if not any(drawn):
                results.append(Skipped(key, "compare", title, "no run has the tables for it"))
                continue
            ax.set_title(title)
            st.legend(fig, ax)
            png, svg = st.save(fig, out, key)
        missing = [label for label, ok in zip(labels, drawn, strict=True) if not ok]
        caption = f"Not in: {', '.join(missing)}." if missing else ""
        results.append(Chart(key, "compare", title, png, svg, caption))
    return results
