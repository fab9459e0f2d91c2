"""The saturation search as the report shows it: a heading with the sustainable rate and a
table with one row per step and one column per SLO verdict."""

from __future__ import annotations

import math
from dataclasses import dataclass

from reports._saturation import Saturation, SaturationStep

__all__ = ["COLUMNS", "Cell", "SaturationView", "saturation_heading", "saturation_view"]

COLUMNS = (
    "step",
    "offered req/s",
    "achieved req/s",
    "committed/s",
    "e2e p95 s",
    "request p95 ms",
    "error rate",
    "backlog items/s",
    "drain s",
)
"""The figures of a step, before one column per SLO verdict (or one ``verdict`` column with
the breach when the steps list no verdicts)."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A table cell: its text and CSS classes (``num``, ``ok``, ``bad``)."""

    text: str
    css: str = ""


@dataclass(frozen=True, slots=True)
class SaturationView:
    heading: str
    columns: list[str]
    rows: list[tuple[str, list[Cell]]]
    """(row CSS class, cells): ``broke`` for a step that broke an SLO, ``best`` for the
    sustainable one."""


def _fmt(value: float | None, spec: str) -> Cell:
    if value is None or math.isnan(value):
        return Cell("—", "num")
    return Cell("∞" if math.isinf(value) else format(value, spec), "num")


def _backlog(step: SaturationStep) -> Cell:
    cell = _fmt(step.backlog_slope, ".3f")
    if step.backlog_slope is None or step.backlog_stderr is None:
        return cell
    return Cell(f"{cell.text} ± {step.backlog_stderr:.3f}", cell.css)


def _verdict(value: str | None) -> Cell:
    if value is None:
        return Cell("—")
    if value == "ok":
        return Cell("ok", "ok")
    if value == "unmeasured":
        return Cell("unmeasured")
    return Cell(value, "bad")


def _row(step: SaturationStep, names: list[str], *, best: bool) -> tuple[str, list[Cell]]:
    label = str(step.number)
    if step.broke or best:
        label += " · broke" if step.broke else " · sustainable"
    cells = [
        Cell(label, "bad" if step.broke else "ok" if best else ""),
        _fmt(step.offered_rps, ".2f"),
        _fmt(step.achieved_rps, ".2f"),
        _fmt(step.committed_rps, ".2f"),
        _fmt(step.e2e_p95_s, ".3f"),
        _fmt(step.p95_ms, ".0f"),
        _fmt(step.error_rate, ".2%"),
        _backlog(step),
        _fmt(step.drain_s, ".1f"),
    ]
    if names:
        cells += [_verdict(step.verdicts.get(name)) for name in names]
    else:
        cells.append(_verdict(step.breach or "ok"))
    return ("broke" if step.broke else "best" if best else ""), cells


def saturation_heading(sat: Saturation) -> str:
    """The load section's heading: the sustainable rate, or why there is none."""
    if not sat.steps:
        return "Load test — the saturation search ran no step"
    if sat.best is None:
        return "Load test — no sustainable rate: the first step broke an SLO"
    rate = f"{sat.sustainable_rps:,.1f} req/s"
    if not sat.broke:
        top = max(s.offered_rps for s in sat.steps)
        return f"Load test — sustainable ≥ {rate} (no SLO broke up to {top:,.1f} req/s offered)"
    return f"Load test — sustainable {rate}"


def saturation_view(sat: Saturation) -> SaturationView:
    names = sat.slo_names
    best = sat.best
    return SaturationView(
        heading=saturation_heading(sat),
        columns=[*COLUMNS, *([n.replace("_", " ") for n in names] or ["verdict"])],
        rows=[_row(step, names, best=step is best) for step in sat.steps],
    )
