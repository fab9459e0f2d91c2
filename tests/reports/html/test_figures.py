"""The report's figure tables: drift and convergence, the capacity model's headline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import reports
from reports import RunDir, RunDirError
from reports.charts import RunData
from reports.html import build_report
from reports.html.figures import capacity_rows, drift_rows
from tests.reports.report_support import live_run, locust_csvs


def test_drift_section_lists_convergence_from_the_verdict_re_derived(tmp_path: Path) -> None:
    run = live_run(tmp_path, verdict=False, missing_share=0.01)
    events = reports.judge(run).convergence
    assert [e.after for e in events] == ["fault f1 (erp outage)", "traffic end"]
    stale = [{"after": "traffic end", "end_t": 14_400.0, "seconds": 1.0}]
    (run / "summary.json").write_text(json.dumps({"passed": True, "convergence": stale}))
    rows = dict(drift_rows(RunData(RunDir.open(run))))
    for event in events:
        shown = "never (within the samples)" if event.seconds is None else f"{event.seconds:g} s"
        assert rows[f"converged after {event.after}"] == shown
    assert rows["converged after traffic end"] == "never (within the samples)", "1% missing"
    assert rows["peak integration drift"].endswith("units at 08:15"), "outage 08:00-08:15"


def test_capacity_figures_and_why_unverified_are_reported(simulated: Path) -> None:
    locust_csvs(simulated)
    rows = dict(capacity_rows(RunData(RunDir.open(simulated))))
    assert rows["api calls per sale"] == "1.5"
    assert rows["sync latency p95"] == "42"
    assert rows["converged after fault 1 (erp outage)"] == "never"
    with pytest.raises(RunDirError, match=r"erp/document_lines\.parquet is missing"):
        build_report(simulated)
    html = build_report(simulated, strict=False).read_text(encoding="utf-8")
    assert "NOT VERIFIED" in html
    assert "erp/document_lines.parquet is missing" in html
    assert 'id="capacity"' in html
    assert 'id="chart-locust"' in html
    assert "<td>/driver/v1/transactions</td>" in html
