"""Flow charts: throughput (POS sales, ERP posts, errors, 429s), backlog, ERP concurrency."""

from __future__ import annotations

from matplotlib.figure import Figure

from reports.charts import _style as st
from reports.charts._units import scenario_value
from reports.charts.series import RunData

__all__ = ["backlog", "concurrency", "driver_lag", "throughput"]

_STYLES = {
    "POS sales/s": (st.BLUE, "-"),
    "ERP posts/s": (st.GREEN, "--"),
    "errors/s": (st.VERMILLION, ":"),
    "429s/s": (st.ORANGE, "-."),
}


def throughput(data: RunData) -> tuple[Figure, str] | str:
    rates = data.rates
    if rates is None:
        return data.missing.get("transactions", "no transactions and no ERP journal")
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    x = st.clock(start, rates["t"] + data.bin_s / 2)
    for name, (colour, style) in _STYLES.items():
        if name in rates:
            ax.plot(x, rates[name], color=colour, ls=style, label=name, drawstyle="steps-mid")
    st.shade_faults(ax, data.faults, start, exits=data.exits, label=True)
    ax.set_ylabel("per simulated second")
    ax.set_title("Throughput")
    st.time_axis(ax)
    st.legend(fig, ax)
    note = "" if data.journal is not None else " ERP series absent: " + data.missing["journal"]
    return fig, f"Mean rate per {data.bin_s:g} s bin; ERP posts are 2xx POST requests.{note}"


def backlog(data: RunData) -> tuple[Figure, str] | str:
    found = data.backlog
    if found is None:
        return data.missing["backlog"]
    frame, source = found
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    x = st.clock(start, frame["t"])
    ax.fill_between(x, 0, frame["backlog"], color=st.SKY, alpha=0.35, lw=0, step="post")
    ax.plot(x, frame["backlog"], color=st.BLUE, drawstyle="steps-post", label="backlog")
    if "dead_letters" in frame and frame["dead_letters"].max() > 0:
        ax.plot(x, frame["dead_letters"], color=st.VERMILLION, ls="--", label="dead letters")
        st.legend(fig, ax)
    st.shade_faults(ax, data.faults, start, exits=data.exits, label=True)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("documents waiting")
    ax.set_title("Connector backlog")
    st.time_axis(ax)
    return fig, f"Source: {source}."


def concurrency(data: RunData) -> tuple[Figure, str] | str:
    frame = data.concurrency
    if frame is None:
        return data.missing.get("journal", "erp/journal.parquet has no latency_ms")
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    x = st.clock(start, frame["t"] + data.bin_s / 2)
    ax.plot(x, frame["max"], color=st.VERMILLION, drawstyle="steps-mid", label="max in bin")
    ax.plot(x, frame["mean"], color=st.BLUE, ls="--", drawstyle="steps-mid", label="mean")
    cap = scenario_value(data.run.scenario, "erp.concurrency")
    if isinstance(cap, int | float) and not isinstance(cap, bool):
        ax.axhline(cap, color="black", ls="-.", lw=0.9, label=f"ERP cap {cap:g}")
    st.shade_faults(ax, data.faults, start, exits=data.exits, label=True)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("requests in flight")
    ax.set_title("ERP concurrency in use")
    st.time_axis(ax)
    st.legend(fig, ax)
    return fig, "Requests in flight at the ERP, from the journal's arrival time and latency."


def driver_lag(data: RunData) -> tuple[Figure, str] | str:
    frame = data.driver_lag
    if frame is None:
        return data.missing.get("driver_lag", "driver/sent.parquet is empty")
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    x = st.clock(start, frame["t"] + data.bin_s / 2)
    ax.plot(x, frame["max"] * 1000, color=st.VERMILLION, drawstyle="steps-mid", label="lag max")
    ax.plot(x, frame["p95"] * 1000, color=st.BLUE, ls="--", drawstyle="steps-mid", label="lag p95")
    ax.plot(
        x,
        frame["ack_p95"] * 1000,
        color=st.GREEN,
        ls=":",
        drawstyle="steps-mid",
        label="POS acknowledgement p95",
    )
    st.shade_faults(ax, data.faults, start, exits=data.exits, label=True)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("wall milliseconds")
    ax.set_title("Traffic driver: lag behind schedule and POS response")
    st.time_axis(ax)
    st.legend(fig, ax)
    caption = (
        "How late the driver sent each transaction against its schedule (sent − due), "
        "and how long the POS took to acknowledge it. A lag far below the sync latency "
        "means the driver did not hide a slow system."
    )
    return fig, caption
