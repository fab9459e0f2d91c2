"""Store-traffic charts from the truth alone: every run has them, traffic-only runs too."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from domain import CURRENCIES
from reports.charts import _style as st
from reports.charts.series import RunData

__all__ = ["arrivals_by_hour", "queue_waits", "record_inaccuracy", "revenue_by_store", "stock_outs"]


def arrivals_by_hour(data: RunData) -> tuple[Figure, str] | str:
    frame = data.run.frame("truth/transactions", ["kind", "arrived_at"])
    if frame is None:
        return "truth/transactions.parquet is absent"
    hour = pd.to_datetime(frame["arrived_at"]).dt.hour
    kinds = frame["kind"].astype(str)
    lo, hi = max(int(hour.min()) - 1, 0), min(int(hour.max()) + 1, 23)
    counts = pd.crosstab(hour, kinds).reindex(range(lo, hi + 1), fill_value=0)
    fig = st.figure()
    ax = fig.axes[0]
    bottom = np.zeros(len(counts))
    colours = {"sale": st.BLUE, "return": st.ORANGE, "cancel": st.GREY, "post_void": st.PURPLE}
    for kind in [k for k in colours if k in counts]:
        ax.bar(
            counts.index, counts[kind], bottom=bottom, color=colours[kind], label=kind, width=0.85
        )
        bottom += counts[kind].to_numpy()
    ticks = range(lo, hi + 1, 1 if hi - lo < 12 else 2)
    ax.set_xticks(ticks, labels=[f"{h:02d}:00" for h in ticks])
    ax.set_xlabel("hour of arrival (store local)")
    ax.set_ylabel("transactions")
    ax.set_title("Arrivals by hour")
    st.legend(fig, ax)
    return fig, "Transactions by the hour the customer joined the queue, all days together."


def queue_waits(data: RunData) -> tuple[Figure, str] | str:
    frame = data.run.frame("truth/queue", ["lane", "arrival_t", "wait_s"])
    if frame is None or frame.empty:
        return "truth/queue.parquet is absent or empty"
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    width = data.bin_s if data.bin_s >= 300 else 300.0
    styles = ((st.BLUE, "-"), (st.ORANGE, "--"), (st.GREEN, ":"))
    for (lane, group), (colour, style) in zip(
        frame.groupby(frame["lane"].astype(str)), styles, strict=False
    ):
        binned = group.groupby(group["arrival_t"] // width * width)["wait_s"]
        p95 = binned.quantile(0.95)
        mean = binned.mean()
        x = st.clock(start, p95.index.to_numpy() + width / 2)
        ax.plot(x, p95, color=colour, ls=style, label=f"{lane} p95")
        ax.plot(x, mean, color=colour, ls=style, lw=0.9, alpha=0.6, label=f"{lane} mean")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("wait in queue (simulated s)")
    ax.set_title("Checkout queue waits")
    st.time_axis(ax)
    st.legend(fig, ax)
    return fig, f"Waits before service per lane type, per {width:g} s of arrival time."


def revenue_by_store(data: RunData) -> tuple[Figure, str] | str:
    frame = data.run.frame("truth/transactions", ["kind", "store_id", "total_minor", "currency"])
    if frame is None or frame.empty:
        return "truth/transactions.parquet is absent or empty"
    sales = frame[frame["kind"].astype(str) == "sale"]
    currency = str(frame["currency"].iloc[0])
    exponent = CURRENCIES[currency].exponent if currency in CURRENCIES else 2
    revenue = sales.groupby(sales["store_id"].astype(str))["total_minor"].sum() / 10**exponent
    revenue = revenue.sort_values()
    more = ""
    if len(revenue) > 30:
        revenue = pd.concat([revenue.head(10), revenue.tail(20)])
        more = " (the 20 highest and 10 lowest stores)"
    fig = st.figure(size=(8.0, min(1.4 + 0.2 * len(revenue), 8.0)))
    ax = fig.axes[0]
    ax.barh(revenue.index, revenue.to_numpy(), color=st.BLUE, height=0.75)
    ax.grid(axis="y", visible=False)
    st.thousands(ax.xaxis)
    ax.set_xlabel(f"sales, tax included ({currency}, major units)")
    ax.set_title(f"Revenue by store{more}")
    return fig, "Completed sales' totals; post-voided sales included, refunds not deducted."


def stock_outs(data: RunData) -> tuple[Figure, str] | str:
    frame = data.run.frame("truth/stock_outs", ["t", "lost"])
    if frame is None:
        return "truth/stock_outs.parquet is absent"
    if frame.empty:
        return "no stock-outs in this run"
    width = max(data.bin_s, 300.0)
    lost = frame.groupby(frame["t"] // width * width)["lost"].sum()
    start = data.run.start
    fig = st.figure()
    ax = fig.axes[0]
    ax.bar(
        st.clock(start, lost.index.to_numpy() + width / 2),
        lost.to_numpy(),
        width=width / 86_400 * 0.9,
        color=st.VERMILLION,
    )
    ax.set_ylabel("units lost")
    ax.set_title(f"Stock-outs: units customers could not buy ({int(frame['lost'].sum()):,})")
    st.time_axis(ax)
    return fig, f"Units wanted but not on the shelf, per {width:g} s."


def record_inaccuracy(data: RunData) -> tuple[Figure, str] | str:
    final = data.run.frame("truth/stock_final", ["store_id", "pos_book", "physical"])
    if final is None or final.empty:
        return "truth/stock_final.parquet is absent or empty"
    gap = final["pos_book"] - final["physical"]
    by_store = gap.abs().groupby(final["store_id"].astype(str)).sum().sort_values()
    share = (gap != 0).groupby(final["store_id"].astype(str)).mean().reindex(by_store.index)
    if len(by_store) > 30:
        by_store, share = by_store.tail(30), share.tail(30)
    fig = st.figure(size=(8.0, min(1.4 + 0.2 * len(by_store), 8.0)))
    ax = fig.axes[0]
    ax.barh(by_store.index, by_store.to_numpy(), color=st.BLUE, height=0.75)
    for y, (units, part) in enumerate(zip(by_store.to_numpy(), share.to_numpy(), strict=True)):
        ax.annotate(
            f"{part:.0%} of SKUs",
            (units, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("Σ|POS book − physical| at the end (units)")
    ax.set_title(f"Record inaccuracy by store ({int(gap.abs().sum()):,} units)")
    return fig, "Unrecorded shrink: the POS believes in stock that is gone. Not the connector's."
