"""Non-sale POS stock changes over real HTTP: waste and a physical count become ERP journal
deltas keyed by the POS change id, while sales keep flowing; ERP stock ends equal to POS.
(The hybrid connector's own real-time lines carry ``txn:line`` numbers, hence the colon.)"""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conn_support import Bench, drift, settle, small_scenario, traffic

pytestmark = pytest.mark.slow

SETTINGS = {"interval": 1, "retry": {"attempts": 6, "base": 0.05, "cap": 1}, "catalog_poll": 1}


def variation_of(bench: Bench, sku: str) -> str:
    body = bench.pos.post(
        "/v2/catalog/search",
        json={
            "object_types": ["ITEM_VARIATION"],
            "query": {"exact_query": {"attribute_name": "sku", "attribute_value": sku}},
        },
    ).json()
    return str(body["objects"][0]["id"])


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


@pytest.mark.parametrize("mode", ["realtime", "batch", "hybrid"])
def test_waste_and_counts_become_journal_deltas(tmp_path: Path, mode: str) -> None:
    scenario = small_scenario()
    expected = traffic(scenario)
    with Bench(tmp_path) as bench:
        stock = bench.seed(scenario)
        bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        store, sku = sorted(stock)[0]
        other_store, other_sku = sorted(stock)[-1]
        bench.push(expected.transactions[:100])
        answer = bench.pos.post(
            "/v2/inventory/changes/batch-create",
            json={
                "idempotency_key": str(uuid.uuid4()),
                "changes": [
                    change("waste", variation_of(bench, sku), store, 3),
                    change("count", variation_of(bench, other_sku), other_store, 11),
                ],
            },
        )
        assert answer.status_code == 200, answer.text
        ids = [c.get("id") for c in answer.json().get("changes", [])]
        bench.push(expected.transactions[100:])
        result = settle(bench, expected)
        time.sleep(2)
        off = drift(bench)
        pos = bench.pos_stock()
        journals = bench.erp.get("/itemJournals").json()["value"]
        numbers = {
            line["externalDocumentNumber"]
            for journal in journals
            for line in bench.erp.get(f"/itemJournals({journal['id']})/journalLines").json()[
                "value"
            ]
        }
    assert pos[(other_store, other_sku)] <= 11
    assert off == {}
    assert result.missing == set()
    assert result.duplicated == set()
    assert len({n for n in numbers if ":" not in n}) == 2
    assert {i for i in ids if i} <= numbers
