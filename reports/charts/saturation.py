"""The saturation search step by step (``saturation.json``): rates, end-to-end and request
p95 against their objectives, the connector's backlog growth against its limit (a panel
left out when no step measured it: the ERP alone); broken steps shaded.

The x axis is the step in the order run, labelled with its offered rate: the search raises
the rate, then bisects, so the offered rate is not monotonic along it.
"""

from __future__ import annotations

import math
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reports._errors import RunDirError
from reports._saturation import Saturation, SaturationStep, read_saturation
from reports.charts import _style as st

__all__ = ["saturation_steps"]


def _values(steps: tuple[SaturationStep, ...], attr: str, scale: float = 1.0) -> list[float]:
    """A figure per step, nan where unmeasured (a gap in the line)."""
    out = []
    for step in steps:
        value = getattr(step, attr)
        out.append(math.nan if value is None else value * scale)
    return out


def _rates(ax: Axes, sat: Saturation, x: list[int]) -> None:
    ax.plot(x, _values(sat.steps, "offered_rps"), "o-", color=st.BLUE, label="offered")
    achieved = "achieved (POS)" if sat.measured("committed_rps") else "achieved"
    ax.plot(x, _values(sat.steps, "achieved_rps"), "s--", color=st.GREEN, label=achieved)
    committed = _values(sat.steps, "committed_rps")
    if any(not math.isnan(c) for c in committed):
        ax.plot(x, committed, "^:", color=st.PURPLE, label="committed (ERP)")
    if sat.best is not None:
        ax.axhline(sat.sustainable_rps, color=st.GREY, ls="-.", lw=1.0, label="sustainable")
    ax.set_ylabel("req/s (wall)")


def _latency(ax: Axes, sat: Saturation, x: list[int]) -> None:
    e2e = _values(sat.steps, "e2e_p95_s")
    finite = [v if math.isfinite(v) else math.nan for v in e2e]
    if any(not math.isnan(v) for v in finite):
        ax.plot(x, finite, "o-", color=st.ORANGE, label="end-to-end p95")
    ax.plot(x, _values(sat.steps, "p95_ms", 1e-3), "s--", color=st.SKY, label="request p95")
    for n, value in zip(x, e2e, strict=True):
        if math.isinf(value):
            ax.annotate(
                "∞",
                xy=(n, 1.0),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="top",
                color=st.VERMILLION,
                fontsize=12,
                fontweight="bold",
            )
    if sat.e2e_objective_s is not None and sat.measured("e2e_p95_s"):
        ax.axhline(sat.e2e_objective_s, color=st.VERMILLION, ls=":", label="e2e objective")
    if sat.request_objective_ms is not None:
        objective = sat.request_objective_ms / 1000
        ax.axhline(objective, color=st.SKY, ls=":", label="request objective")
    ax.set_ylabel("p95 (s, wall)")


def _backlog(ax: Axes, sat: Saturation, x: list[int]) -> None:
    slopes = _values(sat.steps, "backlog_slope")
    colours = [st.VERMILLION if s.broke else st.BLUE for s in sat.steps]
    heights = [0.0 if math.isnan(v) else v for v in slopes]
    ax.bar(x, heights, color=colours, width=0.6)
    if sat.measured("backlog_stderr"):
        z = sat.backlog_z or 1.0
        spread = [z * (s.backlog_stderr or 0.0) for s in sat.steps]
        ax.errorbar(x, heights, yerr=spread, fmt="none", ecolor=st.GREY, capsize=3, lw=1.0)
    if sat.backlog_growth is not None:
        limit = [sat.backlog_growth * s.offered_rps for s in sat.steps]
        ax.plot(x, limit, "k_", ms=22, mew=2, ls="none", label="growth limit")
    ax.axhline(0.0, color=st.GREY, lw=0.8)
    ax.set_ylabel("backlog items/s")


def saturation_steps(run_dir: Path) -> tuple[Figure, str] | str:
    try:
        sat = read_saturation(run_dir)
    except RunDirError as exc:
        return str(exc)
    if sat is None:
        return "no saturation.json: not a saturation search"
    if not sat.steps:
        return "saturation.json lists no step"
    x = [s.number for s in sat.steps]
    measured = sat.measured("backlog_slope")
    fig = st.figure(rows=3 if measured else 2, size=(8.0, 7.0 if measured else 5.0))
    rates, latency = fig.axes[:2]
    _rates(rates, sat, x)
    _latency(latency, sat, x)
    if measured:
        _backlog(fig.axes[2], sat, x)
    bottom = fig.axes[-1]
    for step in sat.steps:
        if step.broke:
            for ax in fig.axes:
                ax.axvspan(
                    step.number - 0.45,
                    step.number + 0.45,
                    color=st.VERMILLION,
                    alpha=0.12,
                    lw=0,
                    zorder=0,
                )
            rates.annotate(
                "broke",
                xy=(step.number, 1.0),
                xycoords=("data", "axes fraction"),
                ha="center",
                va="bottom",
                color=st.VERMILLION,
                fontsize=8,
            )
    bottom.set_xticks(x, [f"{s.number}\n{s.offered_rps:.4g}/s" for s in sat.steps])
    bottom.set_xlim(0.5, len(x) + 0.5)
    bottom.set_xlabel("step (offered rate)")
    heading = (
        f"Saturation search: sustainable {sat.sustainable_rps:.1f} req/s"
        if sat.best is not None
        else "Saturation search: no sustainable step"
    )
    rates.set_title(heading, pad=14)
    st.legend(fig, *fig.axes)
    caption = "Shaded steps broke an SLO; ∞ marks an end-to-end p95 with sales never committed."
    if not measured:
        caption += " The connector's backlog was not measured (the ERP alone)."
    elif sat.backlog_growth is not None:
        floor = f" and by more than {sat.backlog_floor:g} items" if sat.backlog_floor else ""
        caption += (
            f" A step's backlog breaks when it grows faster than {sat.backlog_growth:.0%} of "
            f"the offered rate (the limit marks){floor}."
        )
        if sat.measured("backlog_stderr"):
            caption += (
                f" Whiskers: ±{sat.backlog_z or 1.0:g} standard errors of the fitted growth"
                ", by which it must exceed the limit."
                if sat.backlog_z
                else " Whiskers: ±1 standard error of the fitted growth."
            )
    if not sat.broke:
        caption += " No step broke: the capacity is above the highest rate tried."
    return fig, caption
