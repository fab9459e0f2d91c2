"""report.html and compare.html in a real headless Chromium: no console errors, every
image loads, the verdict is in the first viewport (on screen and printed), nothing leaves
the file. Keeps screenshots and a PDF under test-artifacts/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rpt_support import SATURATION_STEPS, live_run, load_run

from reports.compare import build_comparison
from reports.html import build_report

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/browser)"
)


@dataclass
class Visit:
    """What happened while a page loaded."""

    page: Page
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def image_widths(self) -> list[int]:
        script = "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
        widths: list[int] = self.page.eval_on_selector_all("img", script)
        return widths


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _visit(browser: Browser, file: Path) -> Visit:
    visit = Visit(browser.new_page(viewport=VIEWPORT))  # type: ignore[arg-type]

    def guard(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            visit.outside.append(route.request.url)
            route.abort()

    visit.page.on("console", lambda m: visit.errors.append(m.text) if m.type == "error" else None)
    visit.page.on("pageerror", lambda e: visit.errors.append(str(e)))
    visit.page.route("**/*", guard)
    visit.page.goto(file.as_uri(), wait_until="load")
    return visit


def test_report_in_headless_chromium(browser: Browser, tmp_path: Path) -> None:
    report = build_report(live_run(tmp_path, missing_share=0.01))
    visit = _visit(browser, report)
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


def test_comparison_in_headless_chromium(browser: Browser, tmp_path: Path) -> None:
    runs = [live_run(tmp_path, "a"), live_run(tmp_path, "b", latency_median_s=8.0)]
    page_file = build_comparison(runs, out=tmp_path / "cmp")
    visit = _visit(browser, page_file)
    widths = visit.image_widths()
    scorecard = visit.page.locator("#scorecard-table").bounding_box()
    visit.page.screenshot(path=str(ARTIFACTS / "compare-full.png"), full_page=True)
    visit.page.close()
    assert visit.errors == []
    assert visit.outside == []
    assert len(widths) == 3
    assert all(w > 0 for w in widths), widths
    assert scorecard is not None
    assert scorecard["y"] < VIEWPORT["height"], "the scorecard starts in the first viewport"


def test_saturation_report_in_headless_chromium(browser: Browser, tmp_path: Path) -> None:
    visit = _visit(browser, build_report(load_run(tmp_path)))
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
