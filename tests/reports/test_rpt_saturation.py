"""A load run's report: the saturation search's table and chart from saturation.json, which
Locust CSV is shown as Locust's statistics, and no live-only chart listed as absent."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from rpt_support import SATURATION_STEPS, load_run, saturation_json

from reports import RunDirError
from reports._saturation import Saturation, read_saturation
from reports.charts import NOT_FOR_LOAD_RUNS, RUN_CHARTS, RunData, Skipped, draw_run
from reports.charts.load import _find, locust_stats
from reports.charts.saturation import saturation_steps
from reports.html import build_report
from reports.html.loadrun import load_rows
from reports.html.render import _shown
from reports.html.saturation import COLUMNS, saturation_heading, saturation_view
from reports.tables import RunTables


@pytest.fixture(scope="module")
def load(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return load_run(tmp_path_factory.mktemp("saturation"))


@pytest.fixture(scope="module")
def html(load: Path) -> str:
    return build_report(load).read_text(encoding="utf-8")


def _rows(html: str) -> list[str]:
    table = html.split('id="saturation-steps"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", table.split("<tbody>", 1)[1])


def test_infinity_and_nulls_are_read_as_the_search_meant_them(load: Path) -> None:
    sat = read_saturation(load)
    assert sat is not None
    assert [s.offered_rps for s in sat.steps] == [s["offered_rps"] for s in SATURATION_STEPS]
    assert sat.steps[2].e2e_p95_s == math.inf
    assert sat.steps[2].drain_s == 2.5
    assert sat.slo_names == ["errors", "request_p95", "served", "e2e_p95", "backlog"]
    assert [s.broke for s in sat.steps] == [False, False, True, True]
    assert sat.best is sat.steps[1]
    assert sat.e2e_objective_s == 2.0


def test_absent_file_is_none_and_a_bad_field_is_named(tmp_path: Path) -> None:
    assert read_saturation(tmp_path) is None
    bad = [dict(SATURATION_STEPS[0], offered_rps="fast")]
    saturation_json(tmp_path, bad)
    with pytest.raises(RunDirError, match=r"steps\[0\]\.offered_rps is 'fast'"):
        read_saturation(tmp_path)
    assert "steps[0].offered_rps" in str(saturation_steps(tmp_path))


def test_table_has_a_row_per_step_and_a_column_per_slo(html: str) -> None:
    rows = _rows(html)
    assert len(rows) == len(SATURATION_STEPS)
    header = html.split('id="saturation-steps"', 1)[1].split("</thead>", 1)[0]
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


def test_broken_steps_are_marked_and_the_sustainable_one_named(html: str) -> None:
    rows = _rows(html)
    broke = [step["breach"] is not None for step in SATURATION_STEPS]
    assert ['class="broke"' in row for row in rows] == broke
    assert ["· broke" in row for row in rows] == broke
    assert 'class="best"' in rows[1]
    assert "2 · sustainable" in rows[1]
    assert ">∞<" in rows[2], "a sale never committed: infinite end-to-end p95"


def test_heading_carries_the_sustainable_rate(html: str, load: Path) -> None:
    assert '<h2 id="load">Load test — sustainable 6.1 req/s</h2>' in html
    sat = read_saturation(load)
    assert sat is not None
    first_broke = Saturation(0.0, True, sat.steps[2:])
    assert "no sustainable rate" in saturation_heading(first_broke)
    assert "ran no step" in saturation_heading(Saturation(0.0, False, ()))
    never_broke = Saturation(6.1, False, sat.steps[:2])
    assert saturation_heading(never_broke).startswith("Load test — sustainable ≥ 6.1 req/s")


def test_chart_is_drawn_and_embedded(load: Path, html: str) -> None:
    png = load / "charts/saturation.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (load / "charts/saturation.svg").is_file()
    figure = html.split('<figure id="chart-saturation">', 1)[1].split("</figure>", 1)[0]
    assert '<img src="data:image/png;base64,' in figure
    assert html.index('id="saturation-steps"') < html.index('id="chart-saturation"')


def test_chart_shades_each_broken_step_and_marks_infinity(load: Path) -> None:
    drawn = saturation_steps(load)
    assert not isinstance(drawn, str)
    fig, _caption = drawn
    rates, latency, backlog = fig.axes[:3]
    shaded = [p for p in rates.patches if p.get_alpha() == pytest.approx(0.12)]
    assert len(shaded) == sum(s["breach"] is not None for s in SATURATION_STEPS)
    assert [t.get_text() for t in rates.texts] == ["broke", "broke"]
    assert [t.get_text() for t in latency.texts] == ["∞"]
    objective = next(line for line in latency.lines if line.get_label() == "e2e objective")
    assert np.asarray(objective.get_ydata()).tolist() == [2.0, 2.0]
    limit = next(line for line in backlog.lines if line.get_label() == "growth limit")
    assert np.asarray(limit.get_ydata()).tolist() == pytest.approx(
        [0.05 * s["offered_rps"] for s in SATURATION_STEPS]
    )
    whiskers = [c for c in backlog.collections if c.get_segments()]
    assert len(whiskers[0].get_segments()) == len(SATURATION_STEPS)
    top = [seg[1][1] - seg[0][1] for seg in whiskers[0].get_segments()]
    assert top == pytest.approx([2 * 2.0 * 0.05] * len(SATURATION_STEPS)), "±z standard errors"
    assert "±2 standard errors" in _caption


def erp_only_steps() -> list[dict[str, Any]]:
    """`SATURATION_STEPS` as a search against the ERP alone records them: nothing end to end."""
    return [
        dict(
            s,
            e2e_p95_s=None,
            committed_rps=None,
            backlog_slope=None,
            backlog_stderr=None,
            drain_s=None,
        )
        for s in SATURATION_STEPS
    ]


def test_erp_only_search_draws_without_end_to_end_or_backlog(tmp_path: Path) -> None:
    steps = erp_only_steps()
    saturation_json(tmp_path, steps)
    drawn = saturation_steps(tmp_path)
    assert not isinstance(drawn, str)
    fig, caption = drawn
    assert len(fig.axes) == 2, "no backlog panel when no step measured it"
    labels = [line.get_label() for ax in fig.axes for line in ax.lines]
    assert "request objective" in labels
    assert "e2e objective" not in labels, "no objective for a latency nobody measured"
    assert "backlog was not measured" in caption
    sat = read_saturation(tmp_path)
    assert sat is not None
    view = saturation_view(sat)
    assert [cells[3].text for _, cells in view.rows] == ["—"] * len(steps)


def test_find_prefers_locust_prefix_and_ignores_subfolders(tmp_path: Path) -> None:
    folder = tmp_path / "locust"
    (folder / "steps").mkdir(parents=True)
    for name in ("aaa_stats.csv", "locust_stats.csv", "steps/a_stats.csv"):
        (folder / name).write_text("Name\nx\n")
    assert _find(tmp_path, "_stats.csv") == folder / "locust_stats.csv"
    (folder / "locust_stats.csv").unlink()
    (folder / "aaa_stats.csv").unlink()
    assert _find(tmp_path, "_stats.csv") is None, "locust/steps/ is not looked in"


def test_saturation_step_table_is_not_taken_for_locust_statistics(load: Path, html: str) -> None:
    assert locust_stats(load) is None
    assert 'id="locust-stats"' not in html
    assert "/step/only" not in html
    assert _find(load, "_stats_history.csv") == load / "locust/saturation_stats_history.csv"
    assert 'id="chart-locust"' in html


def test_step_table_is_locust_statistics_without_saturation_json(tmp_path: Path) -> None:
    folder = tmp_path / "locust"
    folder.mkdir()
    pd.DataFrame({"Name": ["Aggregated"]}).to_csv(folder / "saturation_stats.csv", index=False)
    stats = locust_stats(tmp_path)
    assert stats is not None
    assert list(stats["Name"]) == ["Aggregated"]


def test_load_run_lists_no_chart_that_cannot_apply(load: Path, html: str) -> None:
    specs = tuple(spec for spec in RUN_CHARTS if spec.key in NOT_FOR_LOAD_RUNS)
    absent = draw_run(RunData(RunTables.open(load)), load / "charts", specs)
    assert all(isinstance(item, Skipped) for item in absent), "their tables are absent"
    for item in absent:
        assert f"{item.title}: not drawn" not in html, item.key
        assert _shown(item, load_run=False, searched=False), "a live run still lists it"
    assert "Traffic driver lag" not in html
    assert "Saturation search: not drawn" not in html


def test_a_load_without_search_does_not_list_the_saturation_chart() -> None:
    absent = Skipped("saturation", "load", "Saturation search", "no saturation.json")
    assert not _shown(absent, load_run=True, searched=False)
    assert _shown(absent, load_run=True, searched=True), "an unreadable file says why"


def test_load_without_pos_truth_shows_only_its_load_section(tmp_path: Path) -> None:
    """The ERP alone (or --host): no POS truth, so the integration's sections cannot apply."""
    (tmp_path / "scenario.yaml").write_text("name: demo\nseed: 42\n")
    (tmp_path / "run.json").write_text('{"run_id": "erp", "load": {"target": "erp"}}')
    steps = erp_only_steps()
    saturation_json(tmp_path, steps, settings={"target": "erp", "step_s": 6.0})
    html = build_report(tmp_path).read_text(encoding="utf-8")
    sections = re.findall(r'<h2 id="([^"]+)">', html)
    assert sections == ["load", "scenario", "environment"]
    for spec in RUN_CHARTS:
        if spec.section != "load":
            assert f"{spec.title}: not drawn" not in html, spec.key
    assert "truth/transactions" not in html
    assert len(_rows(html)) == len(steps)


def test_load_settings_and_end_to_end_figures_head_the_section(load: Path, html: str) -> None:
    rows = dict(load_rows(load, json.loads((load / "run.json").read_text())))
    assert rows["shape"] == "saturate"
    assert rows["start rate"] == "4 req/s"
    assert rows["target"] == "integration"
    assert "duration (wall)" not in rows, "a search runs steps, not a duration"
    assert rows["sales accepted by the POS / committed in the ERP"] == "441 / 440"
    assert rows["end-to-end latency p95 (wall)"] == "3.19 s"
    assert rows["end-to-end latency max (wall)"] == "—", "NaN in e2e.json"
    assert rows["after the load: connector settled in"] == "2.56 s"
    section = html.split('<h2 id="load">', 1)[1]
    assert section.index('id="load-figures"') < section.index('id="saturation-steps"')


def test_a_day_load_shows_its_duration_and_peak_and_other_runs_nothing(tmp_path: Path) -> None:
    day = {"shape": "day", "rate": 20.0, "duration_s": 120.0, "target": "integration"}
    rows = dict(load_rows(tmp_path, {"load": day}))
    assert rows == {"shape": "day", "peak rate": "20 req/s", "duration (wall)": "120 s"}
    assert load_rows(tmp_path, {"kind": "live"}) == []
