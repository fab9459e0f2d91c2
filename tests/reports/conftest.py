"""Fixtures of the reports tests: one simulated correct run per session (copied for each
verification test), synthetic runs of other producers, and a headless Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from reports.html import build_report
from tests.reports.browser_support import ARGS, CHROMIUM
from tests.reports.report_support import load_run, simulated_run
from tests.reports.verify_support import Truth, build_truth_run, copy_run

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Truth:
    return build_truth_run(tmp_path_factory.mktemp("verify") / "run")


@pytest.fixture
def run_dir(truth: Truth, tmp_path: Path) -> Path:
    """A fresh copy of the correct run to plant one failure in."""
    return copy_run(truth, tmp_path / "run")


@pytest.fixture
def simulated(tmp_path: Path) -> Path:
    """A run as the capacity model writes it: no wall clock, aggregated drift, capacity.json."""
    return simulated_run(tmp_path)


@pytest.fixture(scope="session")
def load(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saturation load run (`load_run`), shared by the tests that only read it."""
    return load_run(tmp_path_factory.mktemp("saturation"))


@pytest.fixture(scope="session")
def load_html(load: Path) -> str:
    """The load run's report.html."""
    return build_report(load).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/browser)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
