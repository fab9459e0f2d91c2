"""Build ``compare.html``: a side-by-side scorecard of runs with overlaid charts."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path

from reports._errors import RunDirError
from reports._rundir import RunDir
from reports.charts import Chart
from reports.charts.series import RunData
from reports.compare.overlay import overlay_charts
from reports.compare.scorecard import scorecard
from reports.html.render import TEMPLATES, data_uri, jinja_env
from reports.html.verdict import read_verdict

__all__ = ["build_comparison", "run_label"]


def run_label(run: RunDir) -> str:
    """How a run is named in the scorecard: its connector (if known) and directory."""
    name = run.meta.connector_name
    return f"{name} · {run.path.name}" if name else run.path.name


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if math.isinf(value):
        return "never"
    if math.isnan(value):
        return "SLOs failed"
    if unit == "%":
        return f"{value:.2f} %"
    if unit in {"docs", "requests", "units"}:
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def build_comparison(run_dirs: Sequence[Path | str], *, out: Path) -> Path:
    """Compare ``run_dirs`` (the first is the baseline); write ``out/compare.html``."""
    if len(run_dirs) < 2:
        raise RunDirError(f"compare: give at least two run directories, got {len(run_dirs)}")
    runs = [RunData(RunDir.open(Path(d))) for d in run_dirs]
    for run in runs:
        run.shown  # noqa: B018 - each verdict re-derived first: a broken run fails before drawing
    labels = [run_label(r.run) for r in runs]
    if len(set(labels)) < len(labels):
        labels = [f"{i + 1}. {label}" for i, label in enumerate(labels)]
    out.mkdir(parents=True, exist_ok=True)
    rows = scorecard(runs)
    charts = overlay_charts(runs, labels, out / "charts")
    verdicts = [read_verdict(r.shown.summary, kind=r.run.kind, note=r.shown.note) for r in runs]
    context = {
        "title": "tillbench comparison",
        "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "labels": labels,
        "verdicts": verdicts,
        "rows": [
            {
                "label": row.metric.label,
                "unit": row.metric.unit,
                "direction": "lower is better"
                if row.metric.lower_is_better
                else "higher is better",
                "cells": [
                    {"text": _fmt(v, row.metric.unit), "verdict": verdict}
                    for v, verdict in zip(row.values, row.verdicts, strict=True)
                ],
            }
            for row in rows
        ],
        "charts": [
            {
                "title": c.title,
                "src": data_uri(c.png),
                "caption": c.caption,
                "key": c.key,
                "skipped": None,
            }
            if isinstance(c, Chart)
            else {"title": c.title, "skipped": c.reason, "key": c.key}
            for c in charts
        ],
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
    }
    target = out / "compare.html"
    target.write_text(jinja_env().get_template("compare.html.j2").render(**context), "utf-8")
    return target
