"""`reports.build_sweep_report`: the decision first, the points, then the curves."""

from __future__ import annotations

import json

import pytest

from reports import RunDirError, build_report, build_sweep_report


def _point(mode, interval, p95, drift, calls, meets):
    return {
        "integration.mode": mode,
        "integration.interval": interval,
        "sync_p95_s": p95,
        "peak_drift_pct": drift,
        "api_calls_per_day": calls,
        "api_calls_per_sale": calls / 1000,
        "erp_peak_hour_utilisation": 0.05,
        "window_peak_share": 0.1,
        "status_429": 0,
        "converged_s": 10.0,
        "binding": "interval" if mode == "batch" else "headroom",
        "meets_all": meets,
    }


def test_the_decision_comes_first_then_the_points_and_the_curves(tmp_path):
    answer = "answer: integration.mode=batch, integration.interval=5m — fewest ERP calls/day"
    document = {
        "scenario": "batch-vs-realtime",
        "keys": ["integration.mode", "integration.interval"],
        "objectives": [
            {"name": "sync_latency_p95", "figure": "sync_p95_s", "limit": 600.0, "unit": "s"}
        ],
        "decision": {"chosen": 1, "answer": answer, "detail": "p95 5.0 min ≤ 10.0 min"},
        "points": [
            _point("realtime", "—", 5.0, 0.1, 100_000.0, True),
            _point("batch", "5m", 300.0, 1.8, 1_400.0, True),
            _point("batch", "15m", 900.0, 4.7, 1_200.0, False),
        ],
    }
    (tmp_path / "sweep.json").write_text(json.dumps(document))
    page = build_sweep_report(tmp_path).read_text()
    assert page.index(answer) < page.index("<table") < page.index("<svg")
    assert '<tr class="chosen">' in page
    assert '<tr class="fail">' in page
    assert "sync_latency_p95" in page
    assert (tmp_path / "charts" / "sweep-decision.png").is_file()
    assert "integration.mode=realtime" in page  # the point without an interval: a level line


def test_a_directory_without_a_sweep_document_is_refused(tmp_path):
    with pytest.raises(RunDirError, match=r"sweep\.json"):
        build_sweep_report(tmp_path)


def test_report_on_a_sweep_that_decided_builds_its_decision_page(tmp_path):
    document = {
        "scenario": "s",
        "keys": ["erp.concurrency"],
        "objectives": [],
        "decision": {"chosen": None, "answer": "answer: none of 1 points", "detail": ""},
        "points": [_point("realtime", "—", 5.0, 0.1, 100.0, False) | {"erp.concurrency": "5"}],
    }
    (tmp_path / "sweep.json").write_text(json.dumps(document))
    page = build_report(tmp_path).read_text()
    assert "answer: none of 1 points" in page
