"""report.html: verdict first, self-contained, degrades without tables or verdict."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rpt_support import live_run, traffic_run

from reports.charts import RunData
from reports.html import build_report, read_verdict
from reports.html.figures import drift_rows
from reports.tables import RunTables


@pytest.fixture(scope="module")
def failing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("html")
    return live_run(root, missing_share=0.02, duplicate_share=0.01)


@pytest.fixture(scope="module")
def failing_html(failing: Path) -> str:
    return build_report(failing).read_text(encoding="utf-8")


def test_verdict_comes_before_every_section(failing_html: str) -> None:
    verdict = failing_html.index('id="verdict"')
    for anchor in ('id="slos"', 'id="exactly-once"', 'id="latency"', 'id="scenario"'):
        assert verdict < failing_html.index(anchor), anchor
    assert "FAIL" in failing_html[verdict : failing_html.index('id="slos"')]


def test_failed_slos_say_by_how_much(failing: Path, failing_html: str) -> None:
    summary = json.loads((failing / "summary.json").read_text())
    failed = [s for s in summary["slos"] if not s["passed"]]
    assert failed
    head = failing_html[: failing_html.index('id="slos"')]
    for slo in failed:
        assert slo["name"] in head
        assert slo["detail"] in head


def test_exactly_once_lists_example_ids(failing: Path, failing_html: str) -> None:
    summary = json.loads((failing / "summary.json").read_text())
    examples = summary["exactly_once"]["missing"]["examples"]
    assert examples
    for txn in examples:
        assert f"<code>{txn}</code>" in failing_html


def test_report_is_self_contained(failing: Path, failing_html: str) -> None:
    images = re.findall(r'<img src="([^"]+)"', failing_html)
    assert len(images) == len(list((failing / "charts").glob("*.png")))
    assert all(src.startswith("data:image/png;base64,") for src in images)
    assert not re.search(r'(src|href)="(https?:)?//', failing_html)
    assert "<link" not in failing_html
    assert "<script" not in failing_html
    style = failing_html[failing_html.index("<style>") : failing_html.index("</style>")]
    assert '"DejaVu Sans"' in style, "CSS is not HTML-escaped"


def test_scenario_and_environment_are_shown(failing_html: str) -> None:
    assert "seed 11" in failing_html
    assert "connector.name" in failing_html
    assert "report built with" in failing_html


@pytest.mark.slow
def test_without_summary_the_report_says_not_verified(tmp_path: Path) -> None:
    run = live_run(tmp_path, verdict=False)
    html = build_report(run).read_text(encoding="utf-8")
    assert "NOT VERIFIED" in html
    assert "no summary.json" in html


def test_traffic_only_run_gets_a_report_with_reasons(tmp_path: Path) -> None:
    run = traffic_run(tmp_path)
    html = build_report(run).read_text(encoding="utf-8")
    assert "TRAFFIC ONLY" in html
    assert 'id="chart-arrivals_by_hour"' in html
    assert "Sync latency over time: not drawn — erp/documents.parquet is absent." in html


def test_verifier_summary_shape_is_read() -> None:
    summary = {
        "passed": False,
        "slos": [{"name": "missing", "target": 0, "actual": 3, "passed": False, "detail": "3 > 0"}],
        "exactly_once": {
            "expected": 10,
            "posted": 7,
            "expected_by_kind": {"sale": 10},
            "missing": {"count": 3, "examples": ["a", "b", "c"], "by_kind": {"sale": 3}},
            "extra_documents": 0,
            "deadline_t": 120.5,
            "tender_checked": True,
        },
        "card_leaks": {"count": 1, "findings": []},
        "diagnosis": ["3 sales never reached the ERP"],
    }
    assert read_verdict(None, kind="live").status == "not verified"
    view = read_verdict(summary, kind="live")
    assert view.status == "fail"
    assert view.headline == "1 of 1 SLOs failed: missing (3 > 0)"
    kinds = {f.kind: f for f in view.exactly_once}
    assert set(kinds) == {"missing", "extra_documents", "card leaks"}
    assert kinds["missing"].examples == ["a", "b", "c"]
    assert view.expected == 10


def test_drift_section_lists_convergence_from_the_verdict(tmp_path: Path) -> None:
    run = live_run(tmp_path, verdict=False)
    events = [
        {"after": "fault f0 (erp outage)", "end_t": 900.0, "seconds": 350.5},
        {"after": "traffic end", "end_t": 14_400.0, "seconds": None},
    ]
    (run / "summary.json").write_text(json.dumps({"passed": True, "convergence": events}))
    rows = dict(drift_rows(RunData(RunTables.open(run))))
    assert rows["converged after fault f0 (erp outage)"] == "350.5 s"
    assert rows["converged after traffic end"] == "never (within the samples)"
    assert rows["peak integration drift"].endswith("units at 08:15"), "outage 08:00-08:15"
