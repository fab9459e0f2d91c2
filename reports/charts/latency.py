"""Sync latency charts: percentile bands over time with fault windows, and the CDF."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from reports.charts import _style as st
from reports.charts._units import duration_s, scenario_value
from reports.charts.series import RunData

__all__ = ["latency_cdf", "latency_over_time"]


def latency_over_time(data: RunData) -> tuple[Figure, str] | str:
    bands = data.latency_bands
    if bands is None:
        return data.missing.get("latency", "no ERP document matched a POS transaction")
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    x = st.clock(start, bands["t"] + data.bin_s / 2)
    bands = bands.assign(**{q: bands[q].clip(lower=0.01) for q in ("p50", "p95", "p99")})
    ax.fill_between(x, bands["p50"], bands["p99"], color=st.SKY, alpha=0.25, lw=0, label="p50–p99")
    ax.plot(x, bands["p50"], color=st.BLUE, label="p50")
    ax.plot(x, bands["p95"], color=st.ORANGE, ls="--", label="p95")
    ax.plot(x, bands["p99"], color=st.VERMILLION, ls=":", label="p99")
    slo = duration_s(scenario_value(data.run.scenario, "slo.sync_latency_p95"))
    if slo:
        ax.axhline(slo, color="black", lw=0.9, ls="-.", label=f"SLO p95 {slo:g} s")
    st.shade_faults(ax, data.faults, start, exits=data.exits, label=True)
    ax.set_yscale("log")
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel("sync latency (simulated s, log)")
    ax.set_title("Sync latency over time (by POS completion time)")
    st.time_axis(ax)
    st.legend(fig, ax)
    caption = (
        f"Percentiles of POS completion → ERP commit per {data.bin_s:g} s bin; shaded: "
        f"fault windows. At speed {data.speed:g}, 1 wall second = "
        f"{data.speed:g} simulated seconds."
    )
    return fig, caption


def latency_cdf(data: RunData) -> tuple[Figure, str] | str:
    lat = data.latency
    if lat is None or lat.empty:
        return data.missing.get("latency", "no ERP document matched a POS transaction")
    values = np.clip(lat["latency_s"].to_numpy(dtype="float64"), 1e-3, None)
    probs = np.linspace(0.0, 1.0, 1001)
    quantiles = np.quantile(values, probs)
    fig = st.figure()
    ax = fig.axes[0]
    ax.plot(quantiles, probs, color=st.BLUE, drawstyle="steps-post")
    for q, colour, style in (
        (0.5, st.GREEN, "-"),
        (0.95, st.ORANGE, "--"),
        (0.99, st.VERMILLION, ":"),
    ):
        value = float(np.quantile(values, q))
        ax.axvline(value, color=colour, ls=style, lw=1.0, label=f"p{int(q * 100)} = {value:,.1f} s")
    ax.set_xscale("log")
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("sync latency (simulated s, log scale)")
    ax.set_ylabel("share of documents")
    ax.set_title(f"Sync latency distribution ({len(values):,} documents)")
    st.legend(fig, ax)
    return fig, "Cumulative share of ERP documents committed within a given latency."
