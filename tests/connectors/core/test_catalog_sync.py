"""ERP → POS over real HTTP: a price changed in the ERP, a new ERP item, a new ERP customer
and ERP-side stock moves (a delivery, a write-off) reach the POS; a customer the POS already
knows (same e-mail) is not duplicated, and every customer the ERP was seeded with reaches
the POS once."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest

import simulator
from tests.connectors.support import SETTINGS, Bench, drift, small_scenario, wait_for

pytestmark = pytest.mark.slow

FAST_SYNC = {**SETTINGS, "catalog_poll": 0.5}


def pos_price(bench: Bench, sku: str) -> int | None:
    body = bench.pos.post(
        "/v2/catalog/search",
        json={
            "object_types": ["ITEM_VARIATION"],
            "query": {"exact_query": {"attribute_name": "sku", "attribute_value": sku}},
        },
    ).json()
    objects = body.get("objects") or []
    if not objects:
        return None
    return int(objects[0]["item_variation_data"]["price_money"]["amount"])


def pos_customers(bench: Bench) -> list[dict[str, Any]]:
    return list(bench.pos.get("/v2/customers").json().get("customers") or [])


def test_prices_items_and_customers_flow_to_the_pos(tmp_path: Path) -> None:
    scenario = small_scenario()
    seeded = [e.lower() for e in simulator.build_world(scenario).customer_emails.to_pylist()]
    assert seeded
    with Bench(tmp_path, scenario) as bench:
        bench.pos.post(
            "/v2/customers",
            json={"idempotency_key": str(uuid.uuid4()), "email_address": "known@example.com"},
        )
        bench.start_connector(["-m", "connectors.realtime"], FAST_SYNC)
        item = bench.erp.get("/items", params={"$top": "1"}).json()["value"][0]
        answer = bench.erp.patch(
            f"/items({item['id']})",
            json={"unitPrice": 12.34},
            headers={"If-Match": item["@odata.etag"]},
        )
        assert answer.status_code == 200, answer.text
        created = bench.erp.post(
            "/items", json={"number": "NEW-SKU-1", "displayName": "New thing", "unitPrice": 2.5}
        )
        assert created.status_code == 201, created.text
        for number, email in (("C-NEW", "new@example.com"), ("C-OLD", "KNOWN@example.com")):
            made = bench.erp.post(
                "/customers", json={"number": number, "displayName": "A B", "email": email}
            )
            assert made.status_code == 201, made.text
        journal = bench.erp.post("/itemJournals", json={"code": "RECEIPTS"}).json()
        store_id = sorted({k[0] for k in bench.pos_stock()})[0]
        before = bench.pos_stock()[(store_id, item["number"])]
        for quantity in (7, -2):
            line = bench.erp.post(
                f"/itemJournals({journal['id']})/journalLines",
                json={
                    "itemNumber": item["number"],
                    "locationCode": store_id,
                    "quantity": quantity,
                    "externalDocumentNumber": f"DELIVERY-{quantity}",
                },
            )
            assert line.status_code == 201, line.text
        key = (store_id, item["number"])
        assert wait_for(lambda: bench.pos_stock()[key] == before + 5)
        assert drift(bench) == {}
        assert wait_for(lambda: pos_price(bench, item["number"]) == 1234)
        assert wait_for(lambda: pos_price(bench, "NEW-SKU-1") == 250)
        assert wait_for(lambda: len(pos_customers(bench)) == 2 + len(seeded))
        time.sleep(1.5)
        assert bench.pos_stock()[key] == before + 5
        emails = sorted(c.get("email_address", "").lower() for c in pos_customers(bench))
    assert emails == sorted(["known@example.com", "new@example.com", *seeded])
