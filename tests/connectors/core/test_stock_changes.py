"""Non-sale POS stock changes → ERP stock postings keyed by the POS change id.

Against a scripted POS adapter (the clock of "now" injected): the first poll only sets the
cursor, later ones queue each change once as the ERP adapter's payload, with ids cut to 35
characters. Over real HTTP: waste and a physical count become journal deltas while sales
keep flowing, and ERP stock ends equal to POS stock. (The hybrid connector's own real-time
lines carry ``txn:line`` numbers, hence the colon.)
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from connectors.core.documents import StockChange
from connectors.core.state import StateStore
from connectors.core.stock_changes import CURSOR, FLOOR, StockChangeSync
from connectors.erp.bc.mapping import stock_payload
from tests.connectors.support import (
    SETTINGS,
    Bench,
    drift,
    settle,
    small_scenario,
    traffic,
    wait_for,
)


class ScriptedPos:
    """Hands out the changes it is given, remembering what it was asked."""

    def __init__(self, now: str) -> None:
        self.now = now
        self.asked: list[tuple[str, str]] = []
        self.changes: list[StockChange] = []
        self.newest: str | None = None

    def stock_start(self) -> str:
        return self.now

    def stock_changes(self, since: str, floor: str) -> tuple[list[StockChange], str | None]:
        self.asked.append((since, floor))
        return self.changes, self.newest


class Bc:
    """Business Central's stock payloads, nothing else."""

    def stock_payload(self, changes: Sequence[StockChange]) -> dict[str, Any]:
        return stock_payload(changes)


def test_first_poll_only_sets_the_cursor_and_its_floor(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    pos = ScriptedPos(now="2026-11-23T11:00:00.000Z")
    sync = StockChangeSync(store=store, pos=pos, erp=Bc())  # type: ignore[arg-type]
    assert sync.poll() == 0
    assert (store.cursor(CURSOR), store.cursor(FLOOR)) == ("2026-11-23T11:00:00.000Z",) * 2
    assert pos.asked == []
    pos.now = "2026-11-23T12:00:00.000Z"
    assert sync.poll() == 0
    assert pos.asked == [("2026-11-23T11:00:00.000Z", "2026-11-23T11:00:00.000Z")]
    assert store.cursor(CURSOR) == "2026-11-23T11:00:00.000Z"


def test_changes_are_queued_once_as_the_erps_payload(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    pos = ScriptedPos(now="2026-11-23T11:00:00.000Z")
    sync = StockChangeSync(store=store, pos=pos, erp=Bc())  # type: ignore[arg-type]
    sync.poll()
    long_id = "W" * 40
    pos.changes = [
        StockChange(long_id, "S0001", "SKU-A", Decimal(-3), f"POS adjustment {long_id}"),
        StockChange("C1", "S0002", "SKU-B", Decimal(2), "POS physical_count C1"),
    ]
    pos.newest = "2026-11-23T11:05:00.000Z"
    assert sync.poll() == 2
    assert sync.poll() == 0
    assert store.cursor(CURSOR) == "2026-11-23T11:05:00.000Z"
    assert store.cursor(FLOOR) == "2026-11-23T11:00:00.000Z"
    rows = {row.key: row for row in store.claim(10)}
    assert sorted(rows) == ["journal:C1", f"journal:{'W' * 35}"]
    waste = rows[f"journal:{'W' * 35}"]
    assert waste.kind == "journal"
    assert waste.payload == {
        "itemNumber": "SKU-A",
        "locationCode": "S0001",
        "quantity": -3.0,
        "externalDocumentNumber": "W" * 35,
        "description": f"POS adjustment {long_id}",
    }


def change(kind: str, variation: str, store: str, quantity: int) -> dict[str, Any]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    if kind == "count":
        return {
            "type": "PHYSICAL_COUNT",
            "physical_count": {
                "catalog_object_id": variation,
                "location_id": store,
                "state": "IN_STOCK",
                "quantity": str(quantity),
                "occurred_at": now,
            },
        }
    return {
        "type": "ADJUSTMENT",
        "adjustment": {
            "catalog_object_id": variation,
            "location_id": store,
            "from_state": "IN_STOCK",
            "to_state": "WASTE",
            "quantity": str(quantity),
            "occurred_at": now,
        },
    }


def journal_numbers(bench: Bench) -> set[str]:
    """External document numbers of every ERP journal line."""
    journals = bench.erp.get("/itemJournals").json()["value"]
    return {
        line["externalDocumentNumber"]
        for journal in journals
        for line in bench.erp.get(f"/itemJournals({journal['id']})/journalLines").json()["value"]
    }


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["realtime", "batch", "hybrid"])
def test_waste_and_counts_become_journal_deltas(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    with Bench(tmp_path, scenario) as bench:
        stock = bench.stock
        bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        store, sku = sorted(stock)[0]
        other_store, other_sku = sorted(stock)[-1]
        bench.push(expected.transactions[:100])
        answer = bench.pos.post(
            "/v2/inventory/changes/batch-create",
            json={
                "idempotency_key": str(uuid.uuid4()),
                "changes": [
                    change("waste", bench.variation_of(sku), store, 3),
                    change("count", bench.variation_of(other_sku), other_store, 11),
                ],
            },
        )
        assert answer.status_code == 200, answer.text
        ids = {
            str((c.get("adjustment") or c.get("physical_count"))["id"])[:35]
            for c in answer.json()["changes"]
        }
        assert len(ids) == 2
        bench.push(expected.transactions[100:])
        result = settle(bench, expected)
        assert wait_for(lambda: ids <= journal_numbers(bench) and not drift(bench))
        off = drift(bench)
        pos = bench.pos_stock()
        numbers = journal_numbers(bench)
    assert pos[(other_store, other_sku)] <= 11
    assert off == {}
    assert result.missing == set()
    assert result.duplicated == set()
    assert len({n for n in numbers if ":" not in n}) == 2
    assert ids <= numbers
