"""Two synthetic live runs to compare: v1, and v2 slower with missing and duplicated sales."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reports.report_support import live_run


@pytest.fixture(scope="session")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("compare")
    base = live_run(root, "v1", verdict=False, extra_run={"connector": {"name": "v1"}})
    worse = live_run(
        root,
        "v2",
        verdict=False,
        latency_median_s=12.0,
        missing_share=0.02,
        duplicate_share=0.01,
        extra_run={"connector": {"name": "v2"}},
    )
    return base, worse
