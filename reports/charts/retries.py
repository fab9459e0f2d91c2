"""The ERP's 503s and the connector's retries over time, for every run.

Sources, each used when present: the connector's ``GET /metrics`` samples
(``samples/connector``: ``erp_status_503``, ``erp_retries`` and ``erp_calls`` from a
connector talking to a real ERP such as Tryton, ``retries`` from any connector) and the
mock ERP's request journal (``erp/journal``: answers with status 503 to the connector's
credential). Metrics counters are cumulative; a counter that drops (the connector was
restarted) starts again from its new value, so totals add up across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from reports.charts import _style as st
from reports.charts.series import RunData

__all__ = ["ErpPressure", "erp_pressure", "pressure_rows", "retries_over_time"]

Row = tuple[str, str]

_METRICS = {
    "erp_status_503": "ERP 503s (connector's count)",
    "erp_retries": "ERP calls retried (connector's ERP client)",
    "retries": "connector retries",
    "erp_calls": "ERP calls (connector's count)",
}
_JOURNAL_503 = "ERP 503s (ERP journal)"
_STYLES = {
    _JOURNAL_503: (st.VERMILLION, "-"),
    "ERP 503s (connector's count)": (st.ORANGE, "--"),
    "ERP calls retried (connector's ERP client)": (st.BLUE, "-."),
    "connector retries": (st.GREEN, ":"),
}


@dataclass(frozen=True)
class ErpPressure:
    """Cumulative counts over simulated time, one column per measured series."""

    series: dict[str, pd.DataFrame] = field(default_factory=dict)
    """label → frame with ``t`` and ``count`` (cumulative), sorted by ``t``."""
    totals: dict[str, int] = field(default_factory=dict)
    unmeasured: list[str] = field(default_factory=list)
    """Why a source is absent, in plain words."""


def _cumulative(t: pd.Series, counter: pd.Series) -> pd.DataFrame:
    """A cumulative counter sampled over time, restarts (drops) bridged."""
    frame = pd.DataFrame({"t": t.astype("float64"), "value": counter.astype("float64")})
    frame = frame.dropna().sort_values("t", kind="stable")
    values = frame["value"].to_numpy()
    if values.size == 0:
        return pd.DataFrame({"t": [], "count": []})
    steps = np.diff(values, prepend=0.0)
    restarted = steps < 0
    steps[restarted] = values[restarted]
    return pd.DataFrame({"t": frame["t"].to_numpy(), "count": np.cumsum(steps)})


def erp_pressure(data: RunData) -> ErpPressure:
    """Every 503 and retry series the run directory holds (see the module docstring)."""
    pressure = ErpPressure()
    journal = data.journal
    if journal is not None and "status" in journal:
        answered = journal
        credential = data.run.meta.connector_credential
        if credential is not None and "credential" in journal:
            answered = journal[journal["credential"].astype(str) == credential]
        busy_t = answered.loc[answered["status"].astype("int64") == 503, "t"].astype("float64")
        busy = np.sort(busy_t.dropna().to_numpy(), kind="stable")
        pressure.series[_JOURNAL_503] = pd.DataFrame(
            {"t": busy, "count": np.arange(1, busy.size + 1, dtype="float64")}
        )
        pressure.totals[_JOURNAL_503] = int(busy.size)
    else:
        why = data.missing.get("journal", "erp/journal.parquet is absent")
        pressure.unmeasured.append(
            f"no ERP request journal ({why}; only the mock ERP keeps one, a real ERP's 503s "
            "come from the connector's counts)"
        )
    samples = data.run.frame("samples/connector", ["t", *_METRICS])
    if samples is None or samples.empty:
        pressure.unmeasured.append("no connector /metrics samples (samples/connector)")
        return pressure
    for column, label in _METRICS.items():
        if column not in samples or samples[column].isna().all():
            continue
        frame = _cumulative(samples["t"], samples[column])
        pressure.series[label] = frame
        pressure.totals[label] = int(frame["count"].iloc[-1]) if len(frame) else 0
    if "erp_status_503" not in samples or samples["erp_status_503"].isna().all():
        pressure.unmeasured.append("the connector's /metrics reports no erp_status_503")
    return pressure


def _count(value: int) -> str:
    return "none" if value == 0 else f"{value:,}"


def pressure_rows(data: RunData) -> list[Row]:
    """The totals, ``none`` where zero, and a line for each source that was not there."""
    pressure = erp_pressure(data)
    rows = [(label, _count(total)) for label, total in pressure.totals.items()]
    calls = pressure.totals.get(_METRICS["erp_calls"])
    busy = pressure.totals.get(_METRICS["erp_status_503"])
    if calls and busy is not None:
        rows.append(("ERP 503s per 100 calls", f"{100 * busy / calls:,.2f}"))
    if not any(label.startswith("ERP 503s") for label in pressure.totals):
        rows.append(("ERP 503s", "not measured"))
    rows += [("not measured", why) for why in pressure.unmeasured]
    return rows


def retries_over_time(data: RunData) -> tuple[Figure, str] | str:
    pressure = erp_pressure(data)
    drawn = {
        label: frame
        for label, frame in pressure.series.items()
        if label in _STYLES and pressure.totals.get(label, 0) > 0
    }
    if not drawn:
        measured = [label for label in pressure.series if label in _STYLES]
        if not measured:
            return "no 503 or retry counts: " + "; ".join(pressure.unmeasured)
        zero = ", ".join(measured)
        return f"none: the ERP answered no 503 and nothing was retried ({zero} all zero)"
    start = data.run.start
    end = max(data.span, *(float(frame["t"].max()) for frame in drawn.values()))
    fig = st.figure()
    ax = fig.axes[0]
    for label, frame in drawn.items():
        colour, style = _STYLES[label]
        t = np.r_[0.0, frame["t"].to_numpy(), end]
        count = np.r_[0.0, frame["count"].to_numpy(), frame["count"].iloc[-1]]
        ax.plot(
            st.clock(start, t), count, color=colour, ls=style, drawstyle="steps-post", label=label
        )
    st.shade_faults(ax, data.faults, start, exits=data.exits, label=True)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("so far (cumulative)")
    ax.set_title("ERP 503s and retries")
    st.time_axis(ax)
    st.legend(fig, ax)
    caption = (
        "Cumulative ERP answers with status 503 (busy or locked) and retries, from the mock "
        "ERP's journal and the connector's /metrics samples; a steep step is a burst of lock "
        "errors or an outage."
    )
    return fig, caption
