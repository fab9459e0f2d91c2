"""Planted-bug connectors through the whole live run: each is caught with its own diagnosis,
while the reference connector passes the same run.

The double-post bug needs an ERP answer lost after the commit; the mocks' faults strike
before a request is applied, so that case is shown by the connector tests' lost-answer
proxy (tests/connectors) and by verification's planted-document tests (tests/reports).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import scenarios
from tillbench.live import resolve_connector, run_live

pytestmark = pytest.mark.slow

PLANTED = Path(__file__).parents[1] / "connectors" / "planted"

SCENARIO = """\
name: planted
extends: demo
description: two stores, twenty minutes at 60x, dirty notes and many returns
duration: 20m
speed: 60
chain: {stores: 2, registers: 3, self_checkouts: 1}
traffic: {customers_per_store_day: 9000}
returns: {rate: 0.12}
data_quality: {card_in_notes: 0.05}
faults: []
slo: {sync_latency_p95: 4m, converge_within: 5m}
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("planted") / "planted.yaml"
    path.write_text(SCENARIO)
    return scenarios.load(str(path))


def _run(scenario: Any, tmp: Path, command: str) -> Any:
    run = run_live(scenario, connector=resolve_connector(command, None), out=tmp / "runs")
    assert run.verdict is not None, run.verify_error
    return run.verdict


def test_reference_connector_passes_the_run_that_catches_the_bugs(
    scenario: Any, tmp_path: Path
) -> None:
    verdict = _run(scenario, tmp_path, "realtime")
    assert verdict.passed, verdict.diagnosis
    assert verdict.exactly_once.missing.count == 0
    assert verdict.exactly_once.duplicated.count == 0
    assert verdict.card_leaks.count == 0


@pytest.mark.parametrize(
    ("bug", "finding"),
    [
        ("drop_sales", "missing"),
        ("ignore_returns", "returns_ignored"),
        ("tax_per_line", "tax_rounded_per_line"),
        ("card_notes", "card_leaks"),
        ("absolute_stock", "stock_drift_without_document_errors"),
    ],
)
def test_planted_bug_is_caught_with_its_diagnosis(
    scenario: Any, tmp_path: Path, bug: str, finding: str
) -> None:
    verdict = _run(scenario, tmp_path, f"{sys.executable} {PLANTED / bug}.py")
    if bug == "drop_sales":  # the bug drops ~2% of sales by a hash of the id: some must be hit
        assert verdict.exactly_once.missing.count > 0
    assert not verdict.passed
    assert verdict.exit_code == 1
    assert finding in verdict.findings, verdict.diagnosis


LOST_ANSWERS = """\
name: lost-answers
extends: demo
description: an ERP without idempotency commits some posts, then answers 504
duration: 20m
speed: 60
chain: {stores: 2, registers: 3, self_checkouts: 1}
traffic: {customers_per_store_day: 6000}
erp: {duplicates: accept}
faults:
  - {at: "11:05", for: 5m, target: erp, kind: errors, rate: 0.1, status: 504, phase: after}
slo: {sync_latency_p95: 1h, converge_within: 30m}
"""


@pytest.mark.parametrize(("command", "posted_twice"), [("realtime", False), ("double_post", True)])
def test_answers_lost_after_the_commit_double_post_only_without_a_look_up(
    tmp_path: Path, command: str, posted_twice: bool
) -> None:
    path = tmp_path / "lost.yaml"
    path.write_text(LOST_ANSWERS)
    scenario = scenarios.load(str(path))
    if command != "realtime":
        command = f"{sys.executable} {PLANTED / command}.py"
    verdict = _run(scenario, tmp_path, command)
    assert verdict.exactly_once.missing.count == 0
    if posted_twice:
        assert verdict.exactly_once.duplicated.count > 0
        assert "duplicated" in verdict.findings
    else:
        assert verdict.exactly_once.duplicated.count == 0
