"""The reference connectors under faults, over real HTTP: duplicate webhooks, an ERP
outage, kill -9 mid-stream. Each must still post every sale and return exactly once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conn_support import Bench, settle, small_scenario, traffic

pytestmark = pytest.mark.slow

SETTINGS = {"interval": 1, "retry": {"attempts": 6, "base": 0.05, "cap": 1}, "catalog_poll": 1}


def test_duplicate_webhooks_post_nothing_twice(tmp_path: Path) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    with Bench(tmp_path) as bench:
        bench.seed(scenario)
        bench.fault("pos", {"kind": "duplicate", "target": "pos.webhooks", "rate": 1, "for": 120})
        bench.start_connector(["-m", "connectors.realtime"], SETTINGS)
        bench.push(expected.transactions)
        result = settle(bench, expected)
        metrics = bench.metrics()
    assert metrics["duplicate_events"] > 100
    assert result.missing == set()
    assert result.duplicated == set()
    assert result.clean


@pytest.mark.parametrize("mode", ["realtime", "batch", "hybrid"])
def test_erp_outage_everything_posted_after_it(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    half = len(expected.transactions) // 2
    with Bench(tmp_path) as bench:
        bench.seed(scenario)
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


@pytest.mark.parametrize("mode", ["realtime", "batch"])
def test_kill_9_mid_stream_loses_and_doubles_nothing(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    size = len(expected.transactions) // 4 + 1
    chunks = [
        expected.transactions[i : i + size] for i in range(0, len(expected.transactions), size)
    ]
    unposted = []
    pushed: set[str] = set()
    with Bench(tmp_path, erp_settings={"latency": "100ms"}) as bench:
        bench.seed(scenario)
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
