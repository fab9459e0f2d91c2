"""report.html in a real headless Chromium: no console errors, every image loads, the
verdict is in the first viewport, nothing leaves the file. Keeps a screenshot."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rpt_support import live_run

from reports.html import build_report

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (scripts/browser)"
)


def test_report_in_headless_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    report = build_report(live_run(tmp_path, missing_share=0.01))
    errors: list[str] = []
    outside: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))

            def guard(route: object) -> None:
                request = route.request  # type: ignore[attr-defined]
                if request.url.startswith(("file:", "data:")):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    outside.append(request.url)
                    route.abort()  # type: ignore[attr-defined]

            page.route("**/*", guard)
            page.goto(report.as_uri(), wait_until="load")
            widths = page.eval_on_selector_all(
                "img", "imgs => imgs.map(i => i.complete ? i.naturalWidth : 0)"
            )
            box = page.locator("#verdict").bounding_box()
            font = page.evaluate("getComputedStyle(document.body).fontFamily")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "report-first-viewport.png"))
            page.screenshot(path=str(ARTIFACTS / "report-full.png"), full_page=True)
            page.emulate_media(media="print")
            printed_box = page.locator("#verdict").bounding_box()
            pdf = page.pdf(format="A4")
            (ARTIFACTS / "report.pdf").write_bytes(pdf)
        finally:
            browser.close()
    shutil.copy(report, ARTIFACTS / "report.html")
    assert "Arial" in font, "the inline stylesheet is applied (not HTML-escaped)"
    assert errors == []
    assert outside == []
    assert len(widths) >= 10
    assert all(w > 0 for w in widths), widths
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= 800
    assert box["width"] > 0
    assert printed_box is not None
    assert printed_box["y"] + printed_box["height"] <= 800, "verdict on the first printed page"
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 50_000, "the charts are in the PDF"
