"""Verification fixtures: one simulated correct run per session, copied for each test."""

from __future__ import annotations

from pathlib import Path

import pytest
from repruns import Truth, build_truth_run, copy_run


@pytest.fixture(scope="session")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Truth:
    return build_truth_run(tmp_path_factory.mktemp("verify") / "run")


@pytest.fixture
def run_dir(truth: Truth, tmp_path: Path) -> Path:
    """A fresh copy of the correct run to plant one failure in."""
    return copy_run(truth, tmp_path / "run")
