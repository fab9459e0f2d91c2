"""report.html: verdict first, self-contained, degrades without tables or verdict; a load
run's report lists no chart that cannot apply; a real ERP's environment; in Chromium."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import reports
from reports import RunDir
from reports.charts import NOT_FOR_LOAD_RUNS, RUN_CHARTS, RunData, Skipped, draw_run
from reports.html import build_report
from reports.html.render import _shown
from tests.reports.browser_support import ARTIFACTS, VIEWPORT, needs_chromium, open_page
from tests.reports.report_support import (
    SATURATION_STEPS,
    erp_only_steps,
    live_run,
    load_run,
    saturation_json,
    saturation_rows,
    traffic_run,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser


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
    failed = [s for s in reports.judge(failing).slos if not s.passed]
    assert failed
    head = failing_html[: failing_html.index('id="slos"')]
    for slo in failed:
        assert slo.name in head
        assert slo.detail in head


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
def test_without_summary_the_report_derives_the_verdict_and_writes_none(tmp_path: Path) -> None:
    run = live_run(tmp_path, verdict=False)
    html = build_report(run).read_text(encoding="utf-8")
    verdict = reports.judge(run)
    assert ("PASS" if verdict.passed else "FAIL") in html
    assert "NOT VERIFIED" not in html
    assert not (run / "summary.json").exists()


def test_traffic_only_run_gets_a_report_with_reasons(tmp_path: Path) -> None:
    run = traffic_run(tmp_path)
    html = build_report(run).read_text(encoding="utf-8")
    assert "TRAFFIC ONLY" in html
    assert 'id="chart-arrivals_by_hour"' in html
    assert "Sync latency over time: not drawn — erp/documents.parquet is absent." in html


def test_the_environment_lists_the_erp_notes_and_not_applicable_faults(tmp_path: Path) -> None:
    run = live_run(tmp_path)
    meta = json.loads((run / "run.json").read_text(encoding="utf-8"))
    meta.update(
        erp_kind="tryton-8.2",
        erp={"kind": "tryton-8.2", "database_kind": "sqlite"},
        notes=["ERP-side scenario events are not run against Tryton"],
        faults_not_applicable=[
            {"id": "f0", "target": "erp", "kind": "outage", "why": "cannot be injected"}
        ],
    )
    (run / "run.json").write_text(json.dumps(meta), encoding="utf-8")

    html = build_report(run).read_text(encoding="utf-8")

    environment = html[html.index('id="environment"') :]
    assert "tryton-8.2" in environment
    assert "erp.database_kind" in environment
    assert "ERP-side scenario events are not run against Tryton" in environment
    assert "f0 erp outage: cannot be injected" in environment


def test_chart_is_drawn_and_embedded(load: Path, load_html: str) -> None:
    png = load / "charts/saturation.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (load / "charts/saturation.svg").is_file()
    figure = load_html.split('<figure id="chart-saturation">', 1)[1].split("</figure>", 1)[0]
    assert '<img src="data:image/png;base64,' in figure
    assert load_html.index('id="saturation-steps"') < load_html.index('id="chart-saturation"')


def test_load_run_lists_no_chart_that_cannot_apply(load: Path, load_html: str) -> None:
    specs = tuple(spec for spec in RUN_CHARTS if spec.key in NOT_FOR_LOAD_RUNS)
    absent = draw_run(RunData(RunDir.open(load)), load / "charts", specs)
    assert all(isinstance(item, Skipped) for item in absent), "their tables are absent"
    for item in absent:
        assert f"{item.title}: not drawn" not in load_html, item.key
        assert _shown(item, load_run=False, searched=False), "a live run still lists it"
    assert "Traffic driver lag" not in load_html
    assert "Saturation search: not drawn" not in load_html


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
    assert len(saturation_rows(html)) == len(steps)


@needs_chromium
def test_report_in_headless_chromium(browser: Browser, tmp_path: Path) -> None:
    report = build_report(live_run(tmp_path, missing_share=0.01))
    visit = open_page(browser, report)
    page = visit.page
    widths = visit.image_widths()
    box = page.locator("#verdict").bounding_box()
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-first-viewport.png"))
    page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)
    page.emulate_media(media="print")
    printed_box = page.locator("#verdict").bounding_box()
    pdf = page.pdf(format="A4")
    (ARTIFACTS / "report.pdf").write_bytes(pdf)
    shutil.copy(report, ARTIFACTS / "report.html")
    page.close()

    assert "Arial" in font, "the inline stylesheet is applied (not HTML-escaped)"
    assert visit.errors == []
    assert visit.outside == []
    assert len(widths) >= 10
    assert all(w > 0 for w in widths), widths
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= VIEWPORT["height"]
    assert box["width"] > 0
    assert printed_box is not None
    assert printed_box["y"] + printed_box["height"] <= 800, "verdict on the first printed page"
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 50_000, "the charts are in the PDF"


@needs_chromium
def test_saturation_report_in_headless_chromium(browser: Browser, tmp_path: Path) -> None:
    visit = open_page(browser, build_report(load_run(tmp_path)))
    page = visit.page
    widths = visit.image_widths()
    rows = page.locator("#saturation-steps tbody tr")
    count = rows.count()
    backgrounds = [
        rows.nth(i).evaluate("r => getComputedStyle(r).backgroundColor") for i in range(count)
    ]
    chart = page.locator("#chart-saturation img").bounding_box()
    table = page.locator("#saturation-steps").bounding_box()
    page.locator("#load").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "report-saturation.png"), full_page=True)
    page.close()
    assert visit.errors == []
    assert visit.outside == []
    assert all(w > 0 for w in widths), widths
    assert count == len(SATURATION_STEPS)
    clear = "rgba(0, 0, 0, 0)"
    broke = [step["breach"] is not None for step in SATURATION_STEPS]
    assert [b not in (clear, backgrounds[0]) for b in backgrounds] == [False, True, *broke[2:]]
    assert backgrounds[2] == backgrounds[3] != backgrounds[1], "broken steps share one colour"
    assert chart is not None
    assert chart["width"] > 600, "the step chart is shown at page width"
    assert table is not None
    assert table["y"] < chart["y"], "the table comes before its chart"
