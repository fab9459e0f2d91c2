"""The saturation search's chart: rates, end-to-end p95 and backlog growth per step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from reports._saturation import read_saturation
from reports.charts.saturation import saturation_steps
from reports.html.saturation import saturation_view
from tests.reports.report_support import SATURATION_STEPS, erp_only_steps, saturation_json


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
