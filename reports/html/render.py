"""Build ``report.html``: one self-contained file (charts as data URIs, CSS inline).

`build_report(run_dir)` re-derives the run's verdict from its tables (`reports._derive`:
never the verdict ``summary.json`` holds, which may be stale), draws the charts into
``RUN/charts/`` (PNG + SVG) and renders the Jinja2 template. Nothing is fetched.
"""

from __future__ import annotations

import base64
import datetime as dt
import platform
import sys
from pathlib import Path
from typing import Any

import jinja2

from reports._errors import RunDirError
from reports._rundir import RunDir
from reports._saturation import FILE as SATURATION_FILE
from reports._saturation import read_saturation
from reports._verdict import Verdict
from reports.charts import NOT_FOR_LOAD_RUNS, RUN_CHARTS, Chart, RunData, Skipped, draw_run
from reports.charts.load import locust_stats
from reports.charts.retries import pressure_rows
from reports.charts.sweep import sweep_tables
from reports.html.figures import capacity_rows, drift_rows, latency_rows, traffic_rows
from reports.html.loadrun import load_rows
from reports.html.locust import locust_table
from reports.html.saturation import SaturationView, saturation_view
from reports.html.timeline import timeline_rows
from reports.html.verdict import read_verdict

__all__ = ["SECTIONS", "TEMPLATES", "build_report", "data_uri", "environment", "jinja_env"]

SECTIONS: dict[str, str] = {
    "latency": "Sync latency",
    "flow": "Throughput, backlog and ERP load",
    "erp_errors": "ERP 503s and retries",
    "drift": "Stock drift",
    "traffic": "Store traffic",
    "load": "Load test",
    "sweep": "Sweep",
}

TEMPLATES = Path(__file__).with_name("templates")


def jinja_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def data_uri(png: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(png.read_bytes()).decode("ascii")


def environment(run: RunDir) -> list[tuple[str, str]]:
    """Versions and machine: what run.json recorded, then the machine building the report."""
    rows: list[tuple[str, str]] = []
    recorded = run.meta.to_dict()
    keys = ("run_id", "kind", "connector", "erp_kind", "erp", "speed", "wall_origin")
    for key in (*keys, "versions", "machine", "notes", "faults_not_applicable"):
        value = recorded.get(key)
        if isinstance(value, dict):
            rows += [(f"{key}.{k}", str(v)) for k, v in value.items()]
        elif isinstance(value, list):
            rows += [(key, _entry(item)) for item in value]
        elif value is not None:
            rows.append((key, str(value)))
    rows += [
        ("report built with", f"Python {sys.version.split()[0]} on {platform.platform()}"),
        ("report machine", f"{platform.machine()}, {platform.node() or 'unknown host'}"),
    ]
    return rows


def _entry(item: Any) -> str:
    """One entry of a list in run.json: a note, or a fault as ``id target kind: why``."""
    if isinstance(item, dict):
        head = " ".join(str(item[k]) for k in ("id", "target", "kind") if k in item)
        return f"{head}: {item['why']}" if "why" in item else head or str(item)
    return str(item)


def _skipped(path: Path) -> str:
    """Why the producer could not verify the run (``verify-skipped.txt``), one line."""
    file = path / "verify-skipped.txt"
    if not file.is_file():
        return ""
    try:
        text = file.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "verify-skipped.txt is unreadable"
    return text.splitlines()[0][:300] if text else ""


def _chart_view(item: Chart | Skipped, root: Path) -> dict[str, Any]:
    if isinstance(item, Skipped):
        return {"key": item.key, "title": item.title, "skipped": item.reason}
    return {
        "key": item.key,
        "title": item.title,
        "src": data_uri(item.png),
        "svg": item.svg.relative_to(root).as_posix(),
        "caption": item.caption,
        "skipped": None,
    }


def _saturation(run: RunDir) -> SaturationView | None:
    """The saturation table; None when absent or unreadable (the chart says why)."""
    try:
        found = read_saturation(run.path)
    except RunDirError:
        return None
    return None if found is None else saturation_view(found)


def _shown(item: Chart | Skipped, *, load_run: bool, searched: bool) -> bool:
    """Whether the report lists a chart: drawn, or skipped for a reason that can apply."""
    if not isinstance(item, Skipped):
        return True
    if item.key == "saturation":
        return searched
    return not (load_run and item.key in NOT_FOR_LOAD_RUNS)


def build_report(
    run_dir: Path | str,
    *,
    out: Path | None = None,
    strict: bool = True,
    verdict: Verdict | None = None,
) -> Path:
    """(Re)build ``report.html`` for ``run_dir``; returns its path (``out`` if given).

    ``strict``: a run whose verdict cannot be re-derived (a required table missing, corrupt
    or of the wrong schema) raises `RunDirError` naming the file and the problem; without
    it the report is built and says "not verified" and why (for the harness, which has
    recorded why verification failed). ``verdict``: one the caller has just judged from
    these very tables (the harness, right after `reports.verify`), shown without judging
    the run a second time.
    """
    if out is None and (Path(run_dir) / "sweep.json").is_file():
        from reports.sweep import build_sweep_report, has_decision

        if has_decision(Path(run_dir)):  # a sweep that decided: its decision page
            return build_sweep_report(Path(run_dir))
    run = RunDir.open(Path(run_dir))
    data = RunData(run, strict=strict, verdict=verdict)
    shown = data.shown
    charts = draw_run(data, run.path / "charts", RUN_CHARTS)
    why = shown.why_unverified or _skipped(run.path)
    view = read_verdict(shown.summary, kind=run.kind, why_unverified=why, note=shown.note)
    load_run = run.meta.load is not None
    load_only = load_run and not run.has("truth/transactions")
    saturation = _saturation(run)
    searched = (run.path / SATURATION_FILE).is_file()
    sections = []
    for key, title in SECTIONS.items():
        items = [
            _chart_view(c, run.path)
            for c in charts
            if c.section == key and _shown(c, load_run=load_run, searched=searched)
        ]
        nothing = all(i["skipped"] for i in items)
        if key in {"load", "sweep"} and nothing and not (key == "load" and load_run):
            continue
        if key == "erp_errors" and run.kind not in {"live", "simulation"}:
            continue
        if run.kind == "sweep" and key != "sweep":
            continue
        if load_only and key != "load":
            continue
        if key == "load" and saturation is not None:
            title = saturation.heading
        sections.append({"key": key, "title": title, "charts": items})
    stats = locust_stats(run.path)
    scenario_file = run.path / "scenario.yaml"
    context = {
        "title": f"tillbench report — {run.scenario.get('name', run.path.name)}",
        "run_name": run.path.name,
        "kind": run.kind,
        "seed": run.scenario.get("seed", "—"),
        "speed": data.speed,
        "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "verdict": view,
        "timeline": timeline_rows(data),
        "latency": latency_rows(data),
        "drift": drift_rows(data),
        "capacity": capacity_rows(data),
        "erp_errors": pressure_rows(data) if run.kind in {"live", "simulation"} else [],
        "sweep_tables": sweep_tables(run.path),
        "traffic": traffic_rows(data),
        "sections": sections,
        "saturation": saturation,
        "load": load_rows(run.path, run.meta.to_dict()),
        "locust": None if stats is None else locust_table(stats),
        "scenario": scenario_file.read_text(encoding="utf-8") if scenario_file.is_file() else "",
        "environment": environment(run),
        "css": (TEMPLATES / "report.css").read_text(encoding="utf-8"),
    }
    html = jinja_env().get_template("report.html.j2").render(**context)
    target = out or run.path / "report.html"
    target.write_text(html, encoding="utf-8")
    return target
