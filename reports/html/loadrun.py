"""A load run's headline figures: how it was loaded (``run.json``'s ``load``) and the end-to-end
latency Locust's side measured (``locust/e2e.json``: POS acceptance joined with the ERP
commit by sale id, wall seconds), shown above the load section's tables."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

__all__ = ["load_rows"]

Row = tuple[str, str]

_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("shape", "shape", ""),
    ("target", "target", ""),
    ("rate", "rate", " req/s"),
    ("step_rate", "rate added per step", " req/s"),
    ("spike_rate", "spike rate", " req/s"),
    ("user_rate", "rate per Locust user", " req/s"),
    ("duration_s", "duration (wall)", " s"),
    ("step_s", "step length", " s"),
    ("workers", "Locust workers", ""),
    ("host", "host", ""),
)
"""run.json ``load`` key → label, unit (`tillbench.load.options.LoadOptions`); the keys only
some shapes use are in `_USED_BY`."""

_RATE = {"day": "peak rate", "ramp": "start rate", "saturate": "start rate", "spike": "base rate"}

_USED_BY = {
    "target": {"saturate"},
    "step_rate": {"ramp"},
    "spike_rate": {"spike"},
    "duration_s": {"day", "ramp", "spike", "soak"},
    "step_s": {"ramp", "saturate"},
}


def _seconds(value: Any) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        return "—"
    return f"{value:,.2f} s"


def _settings(load: Mapping[str, Any]) -> list[Row]:
    shape = load.get("shape")
    rows = []
    for key, label, unit in _SETTINGS:
        value = load.get(key)
        if value is None or (key in _USED_BY and shape not in _USED_BY[key]):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if key == "rate":
            label = _RATE.get(str(shape), label)
        rows.append((label, f"{value:,}{unit}" if isinstance(value, int) else f"{value}{unit}"))
    return rows


def _end_to_end(file: Path) -> list[Row]:
    if not file.is_file():
        return []
    try:
        found = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return [("end-to-end figures", f"locust/e2e.json is not JSON ({exc})")]
    if not isinstance(found, Mapping):
        return []
    rows: list[Row] = []
    accepted, committed = found.get("accepted"), found.get("committed")
    if isinstance(accepted, int) and isinstance(committed, int):
        rows.append(
            ("sales accepted by the POS / committed in the ERP", f"{accepted:,} / {committed:,}")
        )
    for key, label in (("p50_s", "p50"), ("p95_s", "p95"), ("max_s", "max")):
        if key in found:
            rows.append((f"end-to-end latency {label} (wall)", _seconds(found[key])))
    settle = found.get("settle")
    if isinstance(settle, Mapping) and "seconds" in settle:
        settled = "settled" if settle.get("settled") else "not settled"
        rows.append((f"after the load: connector {settled} in", _seconds(settle["seconds"])))
    return rows


def load_rows(run_dir: Path, run: Mapping[str, Any]) -> list[Row]:
    """The load settings and end-to-end figures; empty for a run that is not a load run."""
    load = run.get("load")
    if not isinstance(load, Mapping):
        return []
    return _settings(load) + _end_to_end(run_dir / "locust" / "e2e.json")
