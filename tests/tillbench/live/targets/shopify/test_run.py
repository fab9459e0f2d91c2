"""End to end against the Shopify mock (slow): the reference realtime connector passes a
short run with a burst of duplicate webhooks, and the planted delivery-keyed connector
(posts once per webhook delivery, `tests.connectors.planted`) fails the same run."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import scenarios
import tests.connectors.planted
from tillbench.live import resolve_connector, run_live

pytestmark = pytest.mark.slow

PLANTED = Path(tests.connectors.planted.__file__).parent

SCENARIO = """\
name: shopify-duplicates
extends: demo
description: two stores, twenty minutes at 60x, returns and duplicate webhooks
duration: 20m
speed: 60
chain: {stores: 2, registers: 3, self_checkouts: 1}
traffic: {customers_per_store_day: 2500}
returns: {rate: 0.1}
faults:
  - {at: "11:05", for: 10m, target: pos.webhooks, kind: duplicate, rate: 0.5}
slo: {sync_latency_p95: 30m, converge_within: 15m}
"""


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("shopify") / "shopify.yaml"
    path.write_text(SCENARIO)
    return scenarios.load(str(path))


def _verdict(scenario: Any, tmp_path: Path, command: str) -> Any:
    run = run_live(
        scenario, pos="shopify", connector=resolve_connector(command, None), out=tmp_path
    )
    assert run.verdict is not None, run.verify_error
    return run.verdict


def test_reference_connector_posts_every_sale_and_return_once(
    scenario: Any, tmp_path: Path
) -> None:
    verdict = _verdict(scenario, tmp_path, "realtime")
    assert verdict.exactly_once.missing.count == 0, verdict.diagnosis
    assert verdict.exactly_once.duplicated.count == 0, verdict.diagnosis
    assert verdict.passed, verdict.diagnosis


def test_posting_once_per_delivery_is_caught(scenario: Any, tmp_path: Path) -> None:
    verdict = _verdict(scenario, tmp_path, f"{sys.executable} {PLANTED / 'delivery_keyed.py'}")
    assert not verdict.passed
    assert verdict.exit_code == 1
    assert verdict.exactly_once.duplicated.count > 0
    assert "posted_twice_under_another_reference" in verdict.findings, verdict.diagnosis
