"""The reference connectors over real HTTP, as a live run starts them: every sale and
return posted exactly once with the POS amounts, ERP stock equal to POS stock, no card
number in the ERP or the logs; and the same under faults: duplicate webhooks, an ERP
outage, kill -9 mid-stream."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.connectors.support import SETTINGS, Bench, settle, small_scenario, traffic


@pytest.mark.parametrize("mode", ["realtime", "batch"])
def test_reference_connector_posts_everything_once(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario(card_notes=0.1)
    expected = traffic(scenario)
    assert len(expected.transactions) > 200
    assert expected.credit_memos
    assert expected.card_notes > 5
    with Bench(tmp_path, scenario) as bench:
        connector = bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        bench.push(expected.transactions)
        result = settle(bench, expected)
        metrics = bench.metrics()
        assert connector.stop() == 0
    assert result.missing == set()
    assert result.duplicated == set()
    assert result.mismatched == []
    assert result.drift == {}
    assert result.leaks == []
    assert metrics["posted"] == len(expected.invoices) + len(expected.credit_memos)
    assert metrics["backlog"] == 0
    assert metrics["dead_letters"] == 0


@pytest.mark.slow
def test_duplicate_webhooks_post_nothing_twice(tmp_path: Path) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    with Bench(tmp_path, scenario) as bench:
        bench.fault("pos", {"kind": "duplicate", "target": "pos.webhooks", "rate": 1, "for": 120})
        bench.start_connector(["-m", "connectors.realtime"], SETTINGS)
        bench.push(expected.transactions)
        result = settle(bench, expected)
        metrics = bench.metrics()
    assert metrics["duplicate_events"] > 100
    assert result.missing == set()
    assert result.duplicated == set()
    assert result.clean


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["realtime", "batch", "hybrid"])
def test_erp_outage_everything_posted_after_it(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    half = len(expected.transactions) // 2
    with Bench(tmp_path, scenario) as bench:
        bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        bench.push(expected.transactions[:half])
        bench.fault("erp", {"kind": "outage", "target": "erp", "for": 4})
        bench.push(expected.transactions[half:])
        result = settle(bench, expected, timeout=90)
        metrics = bench.metrics()
    assert metrics["retries"] > 0
    assert result.missing == set()
    assert result.duplicated == set()
    assert result.clean


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["realtime", "batch"])
def test_kill_9_mid_stream_loses_and_doubles_nothing(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario(**{"erp.latency.median": "100ms", "erp.latency.p99": "100ms"})
    expected = traffic(scenario)
    size = len(expected.transactions) // 4 + 1
    chunks = [
        expected.transactions[i : i + size] for i in range(0, len(expected.transactions), size)
    ]
    unposted = []
    pushed: set[str] = set()
    with Bench(tmp_path, scenario) as bench:
        for chunk in chunks:
            connector = bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
            bench.push(chunk)
            pushed |= {t["txn_id"] for t in chunk} & (expected.invoices | expected.credit_memos)
            time.sleep(0.4)
            invoices, memos = bench.posted_numbers()
            unposted.append(len(pushed - set(invoices) - set(memos)))
            connector.kill()
        bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        result = settle(bench, expected, timeout=90)
    assert max(unposted) > 0
    assert result.missing == set()
    assert result.duplicated == set()
    assert result.clean
