"""The sweep report: one HTML page, the decision first, then the curves.

Reads a sweep directory's ``sweep.json`` (objectives, decision, one row per point with its
pass/fail per objective and binding constraint, as `tillbench simulate --sweep` writes it)
and draws p95 sync latency, peak drift (% of stock pairs), API calls per day and ERP
utilisation in the peak hour against the swept parameter with the most numeric values,
one curve per value of the others; each objective's limit is a dashed line on its chart,
the chosen point a ring. The charts are written to ``charts/`` (PNG and SVG) and the SVG
is inlined, so ``report.html`` stands alone.

Example::

    from reports import build_sweep_report
    page = build_sweep_report(Path("runs/20261123T070000Z-batch-vs-realtime-sweep"))
"""

from __future__ import annotations

import html
import json
from itertools import cycle
from pathlib import Path
from typing import Any, cast

from reports._errors import RunDirError
from reports.charts import _style as st
from reports.charts._units import duration_s

__all__ = ["CURVES", "build_sweep_report", "has_decision"]

CURVES = (
    ("sync_p95_s", "p95 sync latency (s)", "sync_latency_p95"),
    ("peak_drift_pct", "peak drift (% of stock pairs)", "drift"),
    ("api_calls_per_day", "ERP API calls per day", None),
    ("erp_peak_hour_utilisation", "ERP busy in the peak hour (share)", None),
)
"""(figure, axis label, objective drawn on it). A point without the x parameter (real time
has no interval) is a dotted level line."""


def _read(sweep_dir: Path) -> dict[str, Any]:
    file = sweep_dir / "sweep.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RunDirError(f"{file}: cannot be read as JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("points"), list):
        raise RunDirError(f"{file}: not a sweep document (no points)")
    return data


def has_decision(sweep_dir: Path) -> bool:
    """Whether ``sweep.json`` holds a decision (sweeps since decisions were made)."""
    try:
        data = json.loads((Path(sweep_dir) / "sweep.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("decision"), dict)


def _x(value: object) -> float | None:
    try:
        return float(str(value))
    except ValueError:
        return duration_s(value)


def _x_key(keys: list[str], points: list[dict[str, Any]]) -> str | None:
    numeric = [
        k
        for k in keys
        if sum(_x(p.get(k)) is not None for p in points) >= 2
        and len({p.get(k) for p in points}) >= 2
    ]
    numeric.sort(key=lambda k: -len({p.get(k) for p in points}))
    return numeric[0] if numeric else None


def _chart(data: dict[str, Any], out: Path) -> str:
    """The curves as inline SVG (and charts/sweep-decision.{png,svg})."""
    import matplotlib as mpl

    points: list[dict[str, Any]] = data["points"]
    keys: list[str] = list(data.get("keys") or data.get("sweep") or [])
    x_key = _x_key(keys, points)
    limits = {o["name"]: o["limit"] for o in data.get("objectives", [])}
    chosen = (data.get("decision") or {}).get("chosen")
    with mpl.rc_context(cast(Any, st.RC)):
        fig = st.figure(rows=len(CURVES), size=(8.0, 1.4 + 2.1 * len(CURVES)), sharex=True)
        others = [k for k in keys if k != x_key]
        groups: dict[str, list[int]] = {}
        for i, p in enumerate(points):
            label = ", ".join(f"{k}={p.get(k)}" for k in others) or (x_key or "points")
            groups.setdefault(label, []).append(i)
        for (label, idx), style in zip(groups.items(), cycle(["-", "--", ":", "-."]), strict=False):
            if x_key is not None:
                idx = [i for i in idx if _x(points[i].get(x_key)) is not None] or idx
                idx.sort(key=lambda i: _x(points[i].get(x_key)) or 0.0)
            xs: list[Any] = (
                [_x(points[i].get(x_key)) for i in idx]
                if x_key is not None
                else [str(i) for i in idx]
            )
            if x_key is not None and any(v is None for v in xs):
                # a point without the x parameter (real time has no interval): a level line
                for ax, (figure, _name, _obj) in zip(fig.axes, CURVES, strict=True):
                    value = points[idx[0]].get(figure)
                    if value is not None:
                        ax.axhline(
                            float(value),
                            color=st.GREY,
                            ls=":",
                            lw=1.5,
                            label=label + (" (chosen)" if chosen in idx else ""),
                        )
                continue
            for ax, (figure, _name, _obj) in zip(fig.axes, CURVES, strict=True):
                raw = [points[i].get(figure) for i in idx]
                ys = [float("nan") if y is None else float(y) for y in raw]
                ax.plot(cast(Any, xs), ys, marker="o", ms=4, ls=style, label=label)
                if chosen in idx:
                    j = idx.index(chosen)
                    ax.plot(
                        cast(Any, [xs[j]]),
                        [ys[j]],
                        marker="o",
                        ms=13,
                        mfc="none",
                        mec=st.VERMILLION,
                        mew=2,
                    )
        for ax, (figure, name, obj) in zip(fig.axes, CURVES, strict=True):
            values = [float(p[figure]) for p in points if (p.get(figure) or 0) > 0]
            if values and max(values) > 50 * min(values):
                ax.set_yscale("log")  # real time and hourly batches differ by orders
            ax.set_ylabel(name, fontsize=8)
            if obj is not None and obj in limits:
                ax.axhline(limits[obj], color=st.VERMILLION, ls="--", lw=1, label=f"{obj} limit")
        fig.axes[0].set_title(f"Sweep over {', '.join(keys)}")
        fig.axes[-1].set_xlabel(f"{x_key} (s)" if x_key and "interval" in x_key else x_key or "")
        fig.axes[0].legend(loc="best")
        _png, svg = st.save(fig, out / "charts", "sweep-decision")
    text = svg.read_text(encoding="utf-8")
    return text[text.find("<svg") :]


def _cell(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


_COLUMNS = (
    ("sync_p95_s", "p95 s"),
    ("peak_drift_pct", "peak drift %"),
    ("api_calls_per_day", "calls/day"),
    ("api_calls_per_sale", "calls/sale"),
    ("erp_peak_hour_utilisation", "ERP busy (peak h)"),
    ("window_peak_share", "window full"),
    ("status_429", "429s"),
    ("converged_s", "converged s"),
    ("binding", "binding constraint"),
    ("meets_all", "meets all"),
)


def build_sweep_report(sweep_dir: Path) -> Path:
    """Write ``report.html`` in ``sweep_dir``; returns its path."""
    sweep_dir = Path(sweep_dir)
    data = _read(sweep_dir)
    keys: list[str] = list(data.get("keys") or data.get("sweep") or [])
    decision = data.get("decision") or {}
    objectives = data.get("objectives") or []
    chosen = decision.get("chosen")
    esc = html.escape
    objs = "".join(
        f"<li><code>{esc(o['name'])}</code>: {esc(o['figure'])} ≤ {o['limit']:g} "
        f"{esc(o['unit'])}</li>"
        for o in objectives
    )
    head = "".join(f"<th>{esc(k)}</th>" for k in keys) + "".join(
        f"<th>{esc(label)}</th>" for _, label in _COLUMNS
    )
    rows = []
    for i, p in enumerate(data["points"]):
        mark = (
            ' class="chosen"'
            if i == chosen
            else (' class="fail"' if not p.get("meets_all") else "")
        )
        cells = "".join(f"<td>{esc(str(p.get(k)))}</td>" for k in keys) + "".join(
            f"<td>{esc(_cell(p.get(f)))}</td>" for f, _ in _COLUMNS
        )
        rows.append(f"<tr{mark}>{cells}</tr>")
    try:
        chart = _chart(data, sweep_dir)
    except Exception as error:  # the decision stands without its chart
        chart = f"<p>chart not drawn: {esc(type(error).__name__)}: {esc(str(error))}</p>"
    verdict = "chosen" if chosen is not None else "none"
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{esc(str(data.get("scenario", "")))} sweep: decision</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222 }}
.decision {{ font-size: 1.2em; padding: .8em 1em; border-left: 6px solid; margin: 1em 0 }}
.decision.chosen {{ border-color: #009E73; background: #eef8f4 }}
.decision.none {{ border-color: #D55E00; background: #fbefe8 }}
table {{ border-collapse: collapse; font-size: .85em }}
td, th {{ border-bottom: 1px solid #ddd; padding: .25em .5em; text-align: right }}
tr.chosen td {{ background: #eef8f4; font-weight: bold }}
tr.fail td {{ color: #888 }}
svg {{ max-width: 100%; height: auto }}
</style></head><body>
<h1>{esc(str(data.get("scenario", "")))}: sweep over {esc(", ".join(keys))}</h1>
<div class="decision {verdict}">{esc(str(decision.get("answer", "no decision")))}<br>
<small>{esc(str(decision.get("detail", "")))}</small></div>
<p>Cheapest means {esc(str(decision.get("cost", "—")))}. A point is judged on:</p>
<ul>{objs}</ul>
<h2>Points</h2>
<table><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>
<p>Binding constraint: the request window (its fullest moment, or 429s because it was
full), the ERP queue (429s because every slot was busy), concurrency (ERP slots busy in
the peak hour ≥ 80%), retries after faults, or the batch interval. Every point's run
directory is under this directory; <code>sweep.parquet</code> has every figure.</p>
<h2>Curves</h2>
{chart}
</body></html>
"""
    out = sweep_dir / "report.html"
    out.write_text(page, encoding="utf-8")
    return out
