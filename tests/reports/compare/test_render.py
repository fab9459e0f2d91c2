"""compare.html: the scorecard with overlaid charts; in Chromium."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reports import RunDirError
from reports.compare import build_comparison
from tests.reports.browser_support import ARTIFACTS, VIEWPORT, needs_chromium, open_page
from tests.reports.report_support import live_run

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_comparison_page_has_overlaid_charts(runs: tuple[Path, Path], tmp_path: Path) -> None:
    page = build_comparison(list(runs), out=tmp_path / "cmp")
    html = page.read_text(encoding="utf-8")
    assert "v1 · v1" in html
    assert "v2 · v2" in html
    assert len(re.findall(r'<img src="data:image/png;base64,', html)) == 3
    assert html.count('<span class="tag">worse</span>') >= 3
    assert (tmp_path / "cmp/charts/compare_latency_cdf.svg").is_file()


def test_one_run_is_not_a_comparison(runs: tuple[Path, Path], tmp_path: Path) -> None:
    with pytest.raises(RunDirError, match="at least two run directories, got 1"):
        build_comparison([runs[0]], out=tmp_path)


@needs_chromium
def test_comparison_in_headless_chromium(browser: Browser, tmp_path: Path) -> None:
    runs = [live_run(tmp_path, "a"), live_run(tmp_path, "b", latency_median_s=8.0)]
    page_file = build_comparison(runs, out=tmp_path / "cmp")
    visit = open_page(browser, page_file)
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
