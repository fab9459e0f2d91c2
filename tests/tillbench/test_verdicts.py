"""`finish_run`: verify a run directory and build its report, also when it cannot be verified."""

from pathlib import Path

import pytest

import scenarios
from simulator import simulate_traffic
from tillbench.verdicts import finish_run


@pytest.fixture(scope="module")
def traffic_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    run_dir = tmp_path_factory.mktemp("run")
    small = {"chain.stores": 1, "duration": "20m", "faults": []}
    scenario = scenarios.override(scenarios.load("demo"), small)
    simulate_traffic(scenario, run_dir)
    return run_dir


def test_a_run_that_cannot_be_verified_still_gets_its_report(traffic_run: Path) -> None:
    finished = finish_run(traffic_run)
    assert finished.verdict is None
    assert finished.verify_error  # says which table is missing
    assert (traffic_run / "verify-skipped.txt").read_text().strip()
    assert finished.report == traffic_run / "report.html"
    html = finished.report.read_text()
    assert "not verified" in html.lower()
    assert "<img" in html


def test_finish_run_without_verification_writes_no_verdict(traffic_run: Path) -> None:
    finished = finish_run(traffic_run, verify=False)
    assert finished.verify_error is None
    assert not (traffic_run / "junit.xml").exists()
    assert finished.report is not None
    assert finished.report.is_file()
