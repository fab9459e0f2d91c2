"""Visiting report.html and compare.html in a real headless Chromium (Debian's chromium,
driven by Playwright): console errors, requests leaving the file, image widths. The
``browser`` fixture is in ``tests/reports/conftest.py``; screenshots and a PDF are kept
under test-artifacts/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

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

needs_chromium = pytest.mark.skipif(
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


def open_page(browser: Browser, file: Path) -> Visit:
    """Load ``file`` in a new page; only file: and data: URLs may load."""
    seen = Visit(browser.new_page(viewport=VIEWPORT))  # type: ignore[arg-type]

    def guard(route: Route) -> None:
        if route.request.url.startswith(("file:", "data:")):
            route.continue_()
        else:
            seen.outside.append(route.request.url)
            route.abort()

    seen.page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
    seen.page.on("pageerror", lambda e: seen.errors.append(str(e)))
    seen.page.route("**/*", guard)
    seen.page.goto(file.as_uri(), wait_until="load")
    return seen
