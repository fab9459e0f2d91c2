"""One restrained look for every chart: colour-blind-safe palette, fonts, time axes, saving.

The palette is Okabe & Ito's (distinguishable with the common colour-vision deficiencies
and in greyscale print, helped by distinct line styles); heatmaps use ``cividis``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

__all__ = ["BLUE", "GREEN", "GREY", "ORANGE", "PURPLE", "RC", "SKY", "VERMILLION", "YELLOW"]

BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
GREY = "#6E6E6E"
CYCLE = [BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, GREY, YELLOW]
HEATMAP = "cividis"

RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.axisbelow": True,
    "axes.prop_cycle": cycler(color=CYCLE),
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "legend.frameon": False,
    "legend.fontsize": 8.5,
    "lines.linewidth": 1.6,
    "figure.dpi": 100,
    "savefig.dpi": 110,
    "svg.fonttype": "none",
    "svg.hashsalt": "tillbench",
    "path.simplify": True,
    "axes.formatter.useoffset": False,
    "axes.formatter.limits": (-5, 9),
}

SIZE = (8.0, 3.4)


def figure(*, rows: int = 1, size: tuple[float, float] = SIZE, sharex: bool = True) -> Figure:
    fig = Figure(figsize=size, layout="constrained")
    fig.subplots(rows, 1, sharex=sharex, squeeze=False)
    return fig


def clock(start: pd.Timestamp, t: Any) -> np.ndarray:
    """Simulated seconds since the start → local datetimes for a time axis."""
    seconds = np.asarray(t, dtype="float64")
    origin = start.to_datetime64().astype("datetime64[ms]")
    stamps: np.ndarray = origin + (seconds * 1000).astype("timedelta64[ms]")
    return stamps


def time_axis(ax: Axes) -> None:
    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)
    ax.set_xlabel("simulated time (store local)")


def shade_faults(
    ax: Axes,
    faults: pd.DataFrame,
    start: pd.Timestamp,
    *,
    label: bool,
    exits: Sequence[tuple[float, str]] = (),
) -> None:
    """Grey bands over fault windows, labelled with target and kind on the top axis; a red
    line at each unexpected exit of the connector (``exits``: time and label)."""
    for t, text in exits:
        (at,) = clock(start, [t])
        ax.axvline(at, color=VERMILLION, lw=1.2, ls="-", zorder=3)
        if label:
            ax.annotate(
                text,
                xy=(at, 0.0),
                xycoords=("data", "axes fraction"),
                xytext=(3, 3),
                textcoords="offset points",
                va="bottom",
                fontsize=7.5,
                color=VERMILLION,
            )
    for row in faults.itertuples(index=False):
        a, b = clock(start, [row.start_t, row.end_t])
        ax.axvspan(a, b, color=GREY, alpha=0.16, lw=0, zorder=0)
        if label:
            ax.annotate(
                f"{row.target} {row.kind}",
                xy=(a, 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(2, -2),
                textcoords="offset points",
                va="top",
                fontsize=7.5,
                color="#333333",
            )


def thousands(axis: Any) -> None:
    """Tick labels with thousands separators (``12,000``)."""
    axis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,.0f}"))


def legend(fig: Figure, *axes: Axes) -> None:
    """One legend under the plot, outside the data, gathered from ``axes``."""
    handles, labels = [], []
    for ax in axes or fig.axes[:1]:
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(len(labels), 5))


def save(fig: Figure, out: Path, key: str) -> tuple[Path, Path]:
    """Write ``key``.png and ``key``.svg under ``out`` (deterministic SVG ids)."""
    out.mkdir(parents=True, exist_ok=True)
    png, svg = out / f"{key}.png", out / f"{key}.svg"
    fig.savefig(png, format="png", facecolor="white")
    fig.savefig(svg, format="svg", facecolor="white", metadata={"Date": None})
    return png, svg
