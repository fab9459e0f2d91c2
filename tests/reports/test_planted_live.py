"""Connectors that post the wrong documents, run live against the mocks: each fails the
verdict with its own finding, and the drift they cause is blamed on the documents, never on
stock writes.

The connectors are the reference one with one seam wrapped from outside
(`tests.connectors.planted.misposting`): an invoice for nothing beside some sales, a
re-post under ``<ref>-R`` when the ERP's answer is lost, two stores' location codes
swapped. A run is about a minute: marked slow.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

import reports
import scenarios
from tests.connectors.planted.misposting import SWAPPED, extra_reference, repost_reference
from tillbench.live import resolve_connector, run_live

pytestmark = pytest.mark.slow

PLANTED = Path(__file__).parents[1] / "connectors" / "planted"

SCENARIO = """\
name: misposting
extends: demo
description: two stores, twenty minutes at 60x{more}
duration: 20m
speed: 60
chain: {{stores: 2, registers: 3, self_checkouts: 1}}
traffic: {{customers_per_store_day: 6000}}
faults: {faults}
slo: {{sync_latency_p95: 30m, converge_within: 10m}}
"""

LOST_ANSWERS = (
    '[{at: "11:03", for: 8m, target: erp, kind: errors, rate: 0.15, status: 504, phase: after}]'
)
"""The ERP commits some posts, then answers 504: the connector cannot know they landed."""

STOCK_BLAMED = {"stock_drift_without_document_errors", "stock_drift_beyond_document_errors"}


def _run(tmp_path: Path, bug: str, *, faults: str = "[]", more: str = "") -> reports.Verdict:
    path = tmp_path / "scenario.yaml"
    path.write_text(SCENARIO.format(faults=faults, more=more))
    scenario: Any = scenarios.load(str(path))
    command = f"{sys.executable} {PLANTED / bug}.py"
    run = run_live(scenario, connector=resolve_connector(command, None), out=tmp_path / "runs")
    assert run.verdict is not None, run.verify_error
    verdict: reports.Verdict = run.verdict
    return verdict


def _failed(verdict: reports.Verdict) -> set[str]:
    return {slo.name for slo in verdict.slos if not slo.passed}


def test_an_invoice_for_nothing_is_unexpected(tmp_path: Path) -> None:
    verdict = _run(tmp_path, "extra_invoices")

    once = verdict.exactly_once
    assert once.unexpected.count > 0
    assert once.unexpected.by_kind == {"invoice": once.unexpected.count}
    assert all(example.startswith("X-") for example in once.unexpected.examples)
    assert once.missing.count == once.duplicated.count == 0
    assert "unexpected" in _failed(verdict)
    assert not verdict.passed
    assert "unexpected" in verdict.findings, verdict.diagnosis
    assert not STOCK_BLAMED & set(verdict.findings), verdict.diagnosis
    sale = once.unexpected.examples[0].split(" ")[0].removeprefix("X-")
    assert extra_reference(sale) == once.unexpected.examples[0].split(" ")[0]


def test_a_repost_under_another_reference_is_posted_twice(tmp_path: Path) -> None:
    verdict = _run(tmp_path, "repost_other_reference", faults=LOST_ANSWERS)

    once = verdict.exactly_once
    assert once.reposted.count > 0
    assert once.duplicated.count >= once.reposted.count
    assert once.unexpected.count == 0, "each -R document is named as the sale it repeats"
    for found in once.reposted_as:
        assert found.reference == repost_reference(found.txn_id)
    assert "duplicates" in _failed(verdict)
    assert "posted_twice_under_another_reference" in verdict.findings, verdict.diagnosis
    assert not STOCK_BLAMED & set(verdict.findings), verdict.diagnosis
    line = next(d for d in verdict.diagnosis if d.startswith("posted twice"))
    first = once.reposted_as[0]
    assert f"{first.txn_id} as {first.reference}" in line


def test_two_stores_swapped_are_posted_to_the_wrong_store(tmp_path: Path) -> None:
    verdict = _run(tmp_path, "swap_stores")

    once = verdict.exactly_once
    assert once.store_checked
    assert once.wrong_store.count == once.expected, "every transaction of both stores"
    assert once.missing.count == once.duplicated.count == once.unexpected.count == 0
    example = once.wrong_store_examples[0]
    assert {example.pos_store, example.erp_store} == set(SWAPPED)
    assert "wrong_store" in _failed(verdict)
    assert verdict.findings[0] == "posted_to_the_wrong_store", verdict.diagnosis
    assert not STOCK_BLAMED & set(verdict.findings), verdict.diagnosis
    assert verdict.drift is not None
    assert verdict.drift.pairs_off > 0
    explained = verdict.drift_explained
    assert explained is not None
    assert explained.residual_pairs == 0
    assert any("all of it explained by the document errors" in d for d in verdict.diagnosis)
