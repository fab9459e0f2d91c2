"""The reference connectors over real HTTP: every sale and return posted exactly once with
the POS amounts, ERP stock equal to POS stock, no card number in the ERP or the logs."""

from __future__ import annotations

from pathlib import Path

import pytest
from conn_support import Bench, settle, small_scenario, traffic

SETTINGS = {"interval": 1, "retry": {"attempts": 6, "base": 0.05, "cap": 1}, "catalog_poll": 1}


@pytest.mark.parametrize("mode", ["realtime", "batch"])
def test_reference_connector_posts_everything_once(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario(card_notes=0.1)
    expected = traffic(scenario)
    assert len(expected.transactions) > 200
    assert expected.credit_memos
    assert expected.card_notes > 5
    with Bench(tmp_path) as bench:
        bench.seed(scenario)
        bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        bench.push(expected.transactions)
        result = settle(bench, expected)
        metrics = bench.metrics()
        assert bench.connector is not None
        assert bench.connector.stop() == 0
    assert result.missing == set()
    assert result.duplicated == set()
    assert result.mismatched == []
    assert result.drift == {}
    assert result.leaks == []
    assert metrics["posted"] == len(expected.invoices) + len(expected.credit_memos)
    assert metrics["backlog"] == 0
    assert metrics["dead_letters"] == 0
