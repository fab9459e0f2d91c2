"""Sweep charts: each headline figure against a swept parameter, one curve per value of
the other swept parameters (``sweep.parquet`` + ``sweep.json`` of a sweep directory).

The x axis is the numeric swept key (numbers or durations) with the most values; modes
and other categorical keys become curves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from domain.rundir import ContractError, read_table
from reports._errors import RunDirError
from reports.charts import _style as st
from reports.charts._units import duration_s

__all__ = ["SweepTable", "sweep_curves", "sweep_keys", "sweep_tables"]

_MAX_METRICS = 6
_PREFERRED = (
    "sync_p95_s",
    "api_calls_per_sale",
    "peak_drift_units",
    "max_backlog",
    "status_429",
    "erp_utilisation",
)


def _points(sweep_dir: Path) -> pd.DataFrame:
    """``sweep.parquet``; `RunDirError` naming it when it cannot be read."""
    try:
        table = read_table(sweep_dir, "sweep")
    except ContractError as error:
        raise RunDirError(str(error)) from None
    frame: pd.DataFrame = table.to_pandas()
    return frame


def _meta(sweep_dir: Path) -> dict[str, Any] | None:
    """``sweep.json`` (None when absent); `RunDirError` naming it when it is not an object."""
    file = sweep_dir / "sweep.json"
    if not file.is_file():
        return None
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
        raise RunDirError(f"{file}: not valid JSON ({reason})") from None
    if not isinstance(data, dict):
        raise RunDirError(f"{file}: must hold a JSON object, got {type(data).__name__}")
    return data


def sweep_keys(sweep_dir: Path, frame: pd.DataFrame) -> list[str]:
    """Swept keys: ``keys`` in sweep.json, else the dotted scenario paths among the columns."""
    data = _meta(sweep_dir)
    if data is not None:
        keys = data.get("keys", data.get("sweep"))
        if isinstance(keys, list | dict) and all(k in frame for k in keys):
            return [str(k) for k in keys]
    return [c for c in frame.columns if "." in str(c)]


def _numeric(values: pd.Series) -> tuple[pd.Series, str]:
    """Values as numbers and their unit suffix: plain numbers, or durations in seconds."""
    parsed = pd.to_numeric(values, errors="coerce")
    if parsed.notna().all():
        return parsed, ""
    seconds = values.map(lambda v: duration_s(v) if duration_s(v) is not None else float("nan"))
    return seconds.astype("float64"), " (s)"


def sweep_curves(sweep_dir: Path) -> tuple[Figure, str] | str:
    file = sweep_dir / "sweep.parquet"
    if not file.is_file():
        return "not a sweep (no sweep.parquet)"
    frame = _points(sweep_dir)
    keys = sweep_keys(sweep_dir, frame)
    if not keys:
        return "sweep.parquet names no swept key (dotted scenario path columns)"
    numeric = [
        c
        for c in frame.columns
        if c not in keys and pd.api.types.is_numeric_dtype(frame[c]) and frame[c].notna().any()
    ]
    metrics = ([c for c in _PREFERRED if c in numeric] or numeric)[:_MAX_METRICS]
    if not metrics:
        return "sweep.parquet has no numeric headline figure"
    parsed = {key: _numeric(frame[key].astype(object)) for key in keys}
    numeric_keys = [key for key in keys if parsed[key][0].notna().all()]
    numeric_keys.sort(key=lambda key: -frame[key].nunique())
    x_key = numeric_keys[0] if numeric_keys else keys[0]
    others = [key for key in keys if key != x_key]
    x, unit = parsed[x_key]
    numeric_x = x_key in numeric_keys
    fig = st.figure(rows=len(metrics), size=(8.0, 1.2 + 2.0 * len(metrics)))
    groups = frame.groupby(others, sort=True) if others else [((), frame)]
    styles = cycle(["-", "--", ":", "-."])
    for (label, group), style in zip(groups, styles, strict=False):
        order = x.loc[group.index].sort_values().index if numeric_x else group.index
        xs = x.loc[order] if numeric_x else group.loc[order, x_key].astype(str)
        name = (
            ", ".join(
                f"{k}={v}"
                for k, v in zip(
                    others, label if isinstance(label, tuple) else (label,), strict=False
                )
            )
            or x_key
        )
        for ax, metric in zip(fig.axes, metrics, strict=True):
            ax.plot(xs, group.loc[order, metric], marker="o", ms=4, ls=style, label=name)
            ax.set_ylabel(metric)
    fig.axes[0].set_title(f"Sweep over {', '.join(keys)}")
    fig.axes[-1].set_xlabel(x_key + (unit if numeric_x else ""))
    if others:
        fig.axes[0].legend(loc="best")
    return fig, f"One curve per value of {', '.join(others)}." if others else "Sweep results."


def _cell(value: object) -> str:
    if isinstance(value, bool) or value is None:
        return "—" if value is None else ("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return str(value)


@dataclass(frozen=True, slots=True)
class SweepTable:
    title: str
    columns: list[str]
    rows: list[list[str]]


def sweep_tables(sweep_dir: Path) -> list[SweepTable]:
    """The sweep points (keys + figures) and, when present, sweep.json's comparison rows."""
    file = sweep_dir / "sweep.parquet"
    if not file.is_file():
        return []
    frame = _points(sweep_dir)
    keys = sweep_keys(sweep_dir, frame)
    figures = [c for c in _PREFERRED if c in frame] or [c for c in frame if c not in keys][:6]
    columns = [*keys, *figures]
    tables = [
        SweepTable(
            "Sweep points",
            columns,
            [[_cell(v) for v in row] for row in frame[columns].itertuples(index=False)],
        )
    ]
    meta = _meta(sweep_dir)
    comparison = None if meta is None else meta.get("comparison")
    if isinstance(comparison, list) and comparison and isinstance(comparison[0], dict):
        names = list(comparison[0])
        rows = [[_cell(row.get(n)) for n in names] for row in comparison]
        tables.append(SweepTable("Real-time against batch", names, rows))
    return tables
