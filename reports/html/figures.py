"""The report's tables of figures (latency, drift, traffic), computed from `RunData`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from reports.charts.series import RunData

__all__ = ["capacity_rows", "drift_rows", "latency_rows", "traffic_rows"]

Row = tuple[str, str]


def _s(value: float) -> str:
    return f"{value:,.1f} s" if value < 600 else f"{value:,.0f} s ({value / 60:,.1f} min)"


def latency_rows(data: RunData) -> list[Row]:
    lat = data.latency
    if lat is None or lat.empty:
        return []
    values = lat["latency_s"].to_numpy(dtype="float64")
    speed = data.speed
    rows = [("documents matched", f"{values.size:,}")]
    for name, q in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100)):
        sim = float(np.percentile(values, q))
        wall = f" · {sim / speed:,.2f} s wall" if speed != 1.0 else ""
        rows.append((name, _s(sim) + wall))
    return rows


def drift_rows(data: RunData) -> list[Row]:
    rows: list[Row] = []
    drift = data.drift
    if drift is not None and not drift.empty:
        peak = int(np.argmax(drift["units"].to_numpy()))
        start = data.run.start
        at = (start + np.timedelta64(int(drift["t"].iloc[peak] * 1000), "ms")).strftime("%H:%M")
        rows += [
            ("peak integration drift", f"{drift['units'].iloc[peak]:,.0f} units at {at}"),
            ("peak share of pairs off", f"{drift['share_off'].max():.2%}"),
            ("integration drift, last sample", f"{drift['units'].iloc[-1]:,.0f} units"),
            ("pairs off, last sample", f"{drift['share_off'].iloc[-1]:.2%}"),
        ]
    summary = data.shown.summary or {}
    for event in summary.get("convergence") or []:
        if isinstance(event, Mapping) and "after" in event:
            seconds = event.get("seconds")
            rows.append(
                (
                    f"converged after {event['after']}",
                    "never (within the samples)" if seconds is None else _s(float(seconds)),
                )
            )
    final = data.run.frame("truth/stock_final", ["pos_book", "physical"])
    if final is not None and len(final):
        gap = final["pos_book"] - final["physical"]
        rows += [
            ("record inaccuracy at the end", f"{int(gap.abs().sum()):,} units"),
            ("pairs with record inaccuracy", f"{(gap != 0).mean():.2%}"),
        ]
    return rows


def traffic_rows(data: RunData) -> list[Row]:
    txns = data.transactions
    if txns is None:
        return []
    counts = txns["kind"].value_counts()
    rows = [(f"{kind}s", f"{int(counts.get(kind, 0)):,}") for kind in ("sale", "return")]
    rows += [
        (
            "cancels / post-voids",
            f"{int(counts.get('cancel', 0)):,} / {int(counts.get('post_void', 0)):,}",
        ),
        ("stores", f"{txns['store_id'].nunique():,}"),
    ]
    if len(txns):
        hours = float(txns["t"].max() - txns["t"].min()) / 3600 or 1.0
        sales = int(counts.get("sale", 0))
        rows.append(("mean sales rate", f"{sales / hours / 3600:,.2f} sales/s over {hours:,.1f} h"))
    return rows


def _figure(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def capacity_rows(data: RunData) -> list[Row]:
    """Headline figures of the capacity model (``capacity.json``), scalars first."""
    file = data.run.path / "capacity.json"
    found: Any = None
    if file.is_file():
        try:
            found = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            reason = "not UTF-8 text" if isinstance(error, UnicodeDecodeError) else str(error)
            return [("capacity figures", f"capacity.json is not JSON ({reason})")]
    elif data.run.summary:
        found = data.run.summary.get("capacity")
    if not isinstance(found, Mapping):
        return []
    rows = [
        (k.replace("_", " "), _figure(v))
        for k, v in found.items()
        if not isinstance(v, dict | list)
    ]
    latency = found.get("sync_latency_s")
    if isinstance(latency, Mapping):
        rows += [(f"sync latency {k}", _figure(v)) for k, v in latency.items()]
    for event in found.get("convergence") or []:
        if isinstance(event, Mapping):
            what = f"{event.get('target')} {event.get('kind')}"
            name = f"converged after fault {event.get('fault')} ({what})"
            seconds = event.get("converged_s")
            rows.append((name, "never" if seconds is None else f"{_figure(seconds)} s"))
    return rows
