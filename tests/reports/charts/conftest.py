"""A synthetic live run shared by the chart tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.report_support import live_run


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return live_run(tmp_path_factory.mktemp("charts"))
