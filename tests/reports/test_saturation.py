"""Reading ``saturation.json``: every step, infinity and nulls as the search meant them."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from reports import RunDirError
from reports._saturation import read_saturation
from reports.charts.saturation import saturation_steps
from tests.reports.report_support import SATURATION_STEPS, saturation_json


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
