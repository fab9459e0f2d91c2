"""Stock charts: integration drift over time (units, share of pairs) with record
inaccuracy as a separate series, and the drift heatmap per store × category."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from reports.charts import _style as st
from reports.charts.series import RunData

__all__ = ["drift_heatmap", "drift_over_time"]


def drift_over_time(data: RunData) -> tuple[Figure, str] | str:
    drift = data.drift
    if drift is None:
        return data.missing.get("stock", "samples/stock.parquet is empty")
    inaccuracy = data.record_inaccuracy
    start = data.run.start
    fig = st.figure(rows=2, size=(8.0, 5.0))
    units, share = fig.axes
    x = st.clock(start, drift["t"])
    units.plot(x, drift["units"], color=st.VERMILLION, label="integration drift Σ|ERP − POS|")
    share.plot(x, drift["share_off"] * 100, color=st.VERMILLION, label="integration drift")
    if "oversell" in drift and drift["oversell"].max() > 0:
        units.plot(x, drift["oversell"], color=st.PURPLE, ls=":", label="oversell exposure")
    if inaccuracy is not None and not inaccuracy.empty:
        xi = st.clock(start, inaccuracy["t"])
        units.plot(
            xi,
            inaccuracy["units"],
            color=st.BLUE,
            ls="--",
            drawstyle="steps-post",
            label="record inaccuracy POS − physical",
        )
        share.plot(
            xi,
            inaccuracy["share_off"] * 100,
            color=st.BLUE,
            ls="--",
            drawstyle="steps-post",
            label="record inaccuracy",
        )
    for ax in (units, share):
        st.shade_faults(ax, data.faults, start, exits=data.exits, label=ax is units)
        ax.set_ylim(bottom=0)
    units.set_ylabel("units")
    share.set_ylabel("% of store×SKU pairs off")
    units.set_title("Integration drift and record inaccuracy")
    st.legend(fig, units)
    st.time_axis(share)
    caption = (
        "Integration drift (ERP book − POS book, the connector's fault) from the stock "
        "samples; record inaccuracy (POS book − physical: unrecorded shrink, no connector "
        "can fix it) from the truth, drawn apart, never added."
    )
    return fig, caption


def drift_heatmap(data: RunData) -> tuple[Figure, str] | str:
    grid = data.drift_heatmap
    if grid is None:
        return data.missing.get(
            "drift_heatmap", data.missing.get("stock", "samples/stock.parquet is empty")
        )
    shown = grid
    if len(grid) > 40:
        shown = grid.loc[grid.sum(axis=1).nlargest(40).index].sort_index()
    height = 1.6 + 0.22 * len(shown)
    fig = st.figure(size=(8.0, min(max(height, 2.8), 11.0)))
    ax = fig.axes[0]
    ax.grid(False)
    values = shown.to_numpy(dtype="float64")
    image = ax.imshow(values, aspect="auto", cmap=st.HEATMAP, interpolation="nearest")
    ax.set_xticks(np.arange(shown.shape[1]), labels=list(shown.columns), rotation=40, ha="right")
    ax.set_yticks(np.arange(shown.shape[0]), labels=list(shown.index))
    if values.size <= 300:
        top = values.max() if values.size else 0.0
        for (i, j), value in np.ndenumerate(values):
            if value > 0:
                colour = "black" if value > top * 0.6 else "white"
                ax.text(j, i, f"{value:g}", ha="center", va="center", fontsize=7, color=colour)
    fig.colorbar(image, ax=ax, label="peak Σ|drift| (units)")
    ax.set_xlabel("category")
    ax.set_ylabel("store")
    ax.set_title("Peak integration drift per store × category")
    more = f" (the 40 stores with most drift of {len(grid)})" if len(grid) > 40 else ""
    return fig, f"Highest Σ|ERP − POS| over the sample rounds{more}."
