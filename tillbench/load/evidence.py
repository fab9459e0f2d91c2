"""The saturation search's evidence in the run directory, built from its steps.

- ``saturation.json``: the search's settings, every step with its per-SLO verdicts, the
  sustainable rate (`report.html` draws its load section's table and chart from it);
- ``locust/saturation_stats.csv``: one row per step (offered, achieved, e2e p95, errors,
  backlog slope, verdict), for spreadsheets;
- ``locust/saturation_stats_history.csv``: every step's Locust history one after the
  other, so the report's Locust chart covers the whole search, not its first step;
- ``locust/saturation.png``: rates, end-to-end p95 and backlog growth per step.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from tillbench.load.saturate import Saturation, Slo, summary

__all__ = ["saturation_json", "step_rows", "write_evidence"]


def _finite(value: float | None) -> float | str | None:
    """JSON has no nan or infinity: nan → null, infinity → ``"inf"``."""
    if value is None or math.isnan(value):
        return None
    return value if math.isfinite(value) else "inf"


def saturation_json(saturation: Saturation, *, slo: Slo | None = None) -> dict[str, Any]:
    """The search's evidence as JSON: every step, the sustainable rate, whether it broke."""
    steps = []
    for step in saturation.steps:
        row = dataclasses.asdict(step)
        row.update({k: _finite(v) for k, v in row.items() if isinstance(v, float)})
        steps.append(row)
    return {
        "sustainable_rps": saturation.sustainable_rps,
        "broke": saturation.broke,
        "slo": None if slo is None else dataclasses.asdict(slo),
        "steps": steps,
    }


def _fmt(value: float | None, spec: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if math.isinf(value):
        return "inf"
    return format(value, spec)


def step_rows(saturation: Saturation) -> list[dict[str, str]]:
    """The per-step table of ``saturation_stats.csv``."""
    best = saturation.best
    return [
        {
            "step": str(n),
            "offered req/s": _fmt(step.offered_rps, ".2f"),
            "achieved req/s": _fmt(step.achieved_rps, ".2f"),
            "committed/s": _fmt(step.committed_rps, ".2f"),
            "e2e p95 s": _fmt(step.e2e_p95_s, ".3f"),
            "request p95 ms": _fmt(step.p95_ms, ".0f"),
            "error rate": _fmt(step.error_rate, ".4f"),
            "backlog items/s": _fmt(step.backlog_slope, ".3f"),
            "drain s": _fmt(step.drain_s, ".1f"),
            "verdict": summary(step) + (" (sustainable)" if step is best else ""),
        }
        for n, step in enumerate(saturation.steps, start=1)
    ]


def _combined_history(step_dir: Path, target: Path) -> None:
    files = sorted(step_dir.glob("step-*_stats_history.csv"))
    header: list[str] | None = None
    with target.open("w", newline="") as sink:
        writer = csv.writer(sink)
        for file in files:
            with file.open(newline="") as handle:
                rows = list(csv.reader(handle))
            if not rows:
                continue
            if header is None:
                header = rows[0]
                writer.writerow(header)
            writer.writerows(rows[1:] if rows[0] == header else [])


def _chart(saturation: Saturation, slo: Slo, target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    steps = saturation.steps
    x = list(range(1, len(steps) + 1))
    bad = [s.breach is not None for s in steps]
    fig = Figure(figsize=(8.0, 7.0), layout="constrained")
    rates, e2e, backlog = fig.subplots(3, 1, sharex=True)
    rates.plot(x, [s.offered_rps for s in steps], "o-", label="offered")
    rates.plot(x, [s.achieved_rps for s in steps], "s--", label="achieved (POS)")
    committed = [s.committed_rps if s.committed_rps is not None else math.nan for s in steps]
    if any(not math.isnan(c) for c in committed):
        rates.plot(x, committed, "^:", label="committed (ERP)")
    for n, broke in zip(x, bad, strict=True):
        if broke:
            for axis in (rates, e2e, backlog):
                axis.axvspan(n - 0.4, n + 0.4, color="#d55e00", alpha=0.12, lw=0)
    rates.set_ylabel("req/s")
    rates.set_title(
        f"Saturation search: sustainable {saturation.sustainable_rps:.1f} req/s "
        "(shaded steps broke an SLO)"
    )
    rates.legend(loc="upper left", fontsize="small")
    p95 = [s.e2e_p95_s if s.e2e_p95_s is not None else math.nan for s in steps]
    shown = [v if math.isfinite(v) else math.nan for v in p95]
    if any(not math.isnan(v) for v in shown):
        e2e.plot(x, shown, "o-", color="#e69f00", label="end-to-end p95")
    e2e.plot(x, [s.p95_ms / 1000 for s in steps], "s--", color="#009e73", label="request p95")
    if slo.e2e_p95_s is not None:
        e2e.axhline(slo.e2e_p95_s, color="#d55e00", ls=":", label="e2e objective")
    e2e.set_ylabel("seconds (wall)")
    e2e.legend(loc="upper left", fontsize="small")
    slopes = [s.backlog_slope if s.backlog_slope is not None else math.nan for s in steps]
    backlog.bar(x, slopes, color=["#d55e00" if b else "#0072b2" for b in bad])
    backlog.plot(
        x, [slo.backlog_growth * s.offered_rps for s in steps], "k:", label="allowed growth"
    )
    backlog.set_ylabel("backlog items/s")
    backlog.set_xlabel("step")
    backlog.set_xticks(x)
    backlog.legend(loc="upper left", fontsize="small")
    fig.savefig(target, dpi=110)


def write_evidence(
    run_dir: Path, saturation: Saturation, *, slo: Slo, step_dir: Path, settings: dict[str, Any]
) -> dict[str, Any]:
    """Write the files of the module docstring; returns the ``saturation.json`` body."""
    body = {**saturation_json(saturation, slo=slo), "settings": settings}
    (run_dir / "saturation.json").write_text(json.dumps(body, indent=2, default=str) + "\n")
    locust_dir = run_dir / "locust"
    locust_dir.mkdir(parents=True, exist_ok=True)
    rows = step_rows(saturation)
    with (locust_dir / "saturation_stats.csv").open("w", newline="") as sink:
        writer = csv.DictWriter(sink, fieldnames=list(rows[0]) if rows else ["step"])
        writer.writeheader()
        writer.writerows(rows)
    _combined_history(step_dir, locust_dir / "saturation_stats_history.csv")
    if saturation.steps:
        _chart(saturation, slo, locust_dir / "saturation.png")
    return body
