"""A load run's headline figures: how it was loaded and the end-to-end latency."""

from __future__ import annotations

import json
from pathlib import Path

from reports.html.loadrun import load_rows


def test_load_settings_and_end_to_end_figures_head_the_section(load: Path, load_html: str) -> None:
    rows = dict(load_rows(load, json.loads((load / "run.json").read_text())))
    assert rows["shape"] == "saturate"
    assert rows["start rate"] == "4 req/s"
    assert rows["target"] == "integration"
    assert "duration (wall)" not in rows, "a search runs steps, not a duration"
    assert rows["sales accepted by the POS / committed in the ERP"] == "441 / 440"
    assert rows["end-to-end latency p95 (wall)"] == "3.19 s"
    assert rows["end-to-end latency max (wall)"] == "—", "NaN in e2e.json"
    assert rows["after the load: connector settled in"] == "2.56 s"
    section = load_html.split('<h2 id="load">', 1)[1]
    assert section.index('id="load-figures"') < section.index('id="saturation-steps"')


def test_a_day_load_shows_its_duration_and_peak_and_other_runs_nothing(tmp_path: Path) -> None:
    day = {"shape": "day", "rate": 20.0, "duration_s": 120.0, "target": "integration"}
    rows = dict(load_rows(tmp_path, {"load": day}))
    assert rows == {"shape": "day", "peak rate": "20 req/s", "duration (wall)": "120 s"}
    assert load_rows(tmp_path, {"kind": "live"}) == []
