"""`iter_events`: the time-ordered stream holds the same documents as the truth tables."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from domain import Sale
from simulator import PosEvent, events, iter_events, simulate_traffic
from tests.simulator.support import small_scenario


def test_events_are_time_ordered_and_match_the_truth_tables(tmp_path: Path) -> None:
    scenario = small_scenario(
        **{
            "duration": "2d",
            "chain.stores": 3,
            "chain.hours": "00:00-24:00",
            "traffic.customers_per_store_day": 600,
        }
    )

    events = list(iter_events(scenario, seed=9))
    simulate_traffic(scenario, tmp_path, seed=9)

    tx = pq.read_table(tmp_path / "truth" / "transactions.parquet")
    assert sorted(e.txn_id for e in events) == sorted(tx["txn_id"].to_pylist())
    times = [e.t for e in events]
    assert times == sorted(times)
    kinds = {e.kind for e in events}
    assert kinds == {"sale", "return", "cancel", "post_void"}
    sale = next(e for e in events if e.kind == "sale")
    assert isinstance(sale, PosEvent)
    assert isinstance(sale.document, Sale)
    assert sale.document.completed_at == sale.at


def test_events_stream_lazily() -> None:
    scenario = small_scenario(**{"duration": "1d", "chain.stores": 1})

    first = list(itertools.islice(iter_events(scenario), 5))

    assert len(first) == 5
    assert first[0].t <= first[-1].t


def test_small_rebuild_slices_give_the_same_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = small_scenario(**{"duration": "1d", "chain.stores": 1})
    whole = [(e.txn_id, e.document) for e in iter_events(scenario)]

    monkeypatch.setattr(events, "_SLICE", 97)
    sliced = [(e.txn_id, e.document) for e in iter_events(scenario)]

    assert len(whole) > 1000
    assert sliced == whole
