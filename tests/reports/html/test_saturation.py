"""The saturation search's table in the report: a row per step, a column per SLO."""

from __future__ import annotations

import re
from pathlib import Path

from reports._saturation import Saturation, read_saturation
from reports.html.saturation import COLUMNS, saturation_heading
from tests.reports.report_support import SATURATION_STEPS, saturation_rows


def test_table_has_a_row_per_step_and_a_column_per_slo(load_html: str) -> None:
    rows = saturation_rows(load_html)
    assert len(rows) == len(SATURATION_STEPS)
    header = load_html.split('id="saturation-steps"', 1)[1].split("</thead>", 1)[0]
    names = ["errors", "request p95", "served", "e2e p95", "backlog"]
    assert re.findall(r"<th>(.*?)</th>", header) == [*COLUMNS, *names]
    for row, step in zip(rows, SATURATION_STEPS, strict=True):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        assert len(cells) == len(COLUMNS) + len(names)
        assert cells[1] == f"{step['offered_rps']:.2f}"
        assert cells[7] == f"{step['backlog_slope']:.3f} ± 0.050"
        assert cells[len(COLUMNS) + 3] == (
            "ok" if step["verdicts"]["e2e_p95"] == "ok" else step["verdicts"]["e2e_p95"]
        ).replace(">", "&gt;")


def test_broken_steps_are_marked_and_the_sustainable_one_named(load_html: str) -> None:
    rows = saturation_rows(load_html)
    broke = [step["breach"] is not None for step in SATURATION_STEPS]
    assert ['class="broke"' in row for row in rows] == broke
    assert ["· broke" in row for row in rows] == broke
    assert 'class="best"' in rows[1]
    assert "2 · sustainable" in rows[1]
    assert ">∞<" in rows[2], "a sale never committed: infinite end-to-end p95"


def test_heading_carries_the_sustainable_rate(load_html: str, load: Path) -> None:
    assert '<h2 id="load">Load test — sustainable 6.1 req/s</h2>' in load_html
    sat = read_saturation(load)
    assert sat is not None
    first_broke = Saturation(0.0, True, sat.steps[2:])
    assert "no sustainable rate" in saturation_heading(first_broke)
    assert "ran no step" in saturation_heading(Saturation(0.0, False, ()))
    never_broke = Saturation(6.1, False, sat.steps[:2])
    assert saturation_heading(never_broke).startswith("Load test — sustainable ≥ 6.1 req/s")
