"""ERP → POS. Against scripted catalogues: cursors move past what was carried, a customer
the POS knows by e-mail is not created again, an ERP stock move reaches the POS once. Over
real HTTP: a price changed in the ERP, a new ERP item, a new ERP customer and ERP-side stock
moves (a delivery, a write-off) reach the POS; a customer the POS already knows (same
e-mail) is not duplicated, and every customer the ERP was seeded with reaches the POS once."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import simulator
from connectors.core.catalog_sync import CatalogSync
from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
from connectors.core.metrics import Metrics
from connectors.core.state import StateStore
from tests.connectors.support import SETTINGS, Bench, drift, small_scenario, wait_for

FAST_SYNC = {**SETTINGS, "catalog_poll": 0.5}


class ScriptedErp:
    """An ERP catalogue that answers what it holds after the cursor it is given."""

    def __init__(self) -> None:
        self.items: list[CatalogueItem] = []
        self.customers: list[CustomerRecord] = []
        self.moves: list[ErpStockMove] = []

    def items_since(self, moment: str | None) -> list[CatalogueItem]:
        return [i for i in self.items if moment is None or i.modified > moment]

    def customers_since(self, moment: str | None) -> list[CustomerRecord]:
        return [c for c in self.customers if moment is None or c.modified > moment]

    def stock_moves(self) -> list[ErpStockMove]:
        return list(self.moves)


class ScriptedPosCatalogue:
    """A POS catalogue that records what it was asked to write."""

    def __init__(self, emails: set[str]) -> None:
        self.emails = emails
        self.prices: list[list[str]] = []
        self.created: list[str] = []
        self.sent: list[list[str]] = []

    def write_prices(self, items: Sequence[CatalogueItem]) -> int:
        self.prices.append([i.sku for i in items])
        return len(items)

    def customer_emails(self) -> set[str]:
        return set(self.emails)

    def create_customer(self, customer: CustomerRecord) -> None:
        self.created.append(customer.email)

    def stock_receipts(
        self, moves: Sequence[ErpStockMove]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        return [{"moves": [m.id for m in moves]}], [m.id for m in moves]

    def send_stock_receipt(self, payload: Mapping[str, Any]) -> int:
        self.sent.append(list(payload["moves"]))
        return len(payload["moves"])


def sync(tmp_path: Path, erp: ScriptedErp, pos: ScriptedPosCatalogue) -> CatalogSync:
    return CatalogSync(
        store=StateStore(tmp_path),
        erp=erp,
        pos=pos,
        interval=1,
        metrics=Metrics(),
        stop=threading.Event(),
    )


def test_items_are_carried_once_past_their_cursor(tmp_path: Path) -> None:
    erp, pos = ScriptedErp(), ScriptedPosCatalogue(set())
    carrier = sync(tmp_path, erp, pos)
    erp.items = [
        CatalogueItem("SKU-A", "A", Decimal("1.50"), "2026-11-23T10:00:00Z"),
        CatalogueItem("SKU-B", "B", Decimal("2.50"), "2026-11-23T10:05:00Z"),
    ]
    assert carrier.sync_items() == 2
    assert carrier.sync_items() == 0
    erp.items.append(CatalogueItem("SKU-A", "A", Decimal("1.75"), "2026-11-23T10:09:00Z"))
    assert carrier.sync_items() == 1
    assert pos.prices == [["SKU-A", "SKU-B"], ["SKU-A"]]
    assert carrier.metrics.snapshot()["catalog_updates"] == 3


def test_customers_known_by_email_are_not_created_again(tmp_path: Path) -> None:
    erp, pos = ScriptedErp(), ScriptedPosCatalogue({"known@example.com"})
    carrier = sync(tmp_path, erp, pos)
    erp.customers = [
        CustomerRecord("1", "C-OLD", "Old", "KNOWN@example.com", "2026-11-23T10:00:00Z"),
        CustomerRecord("2", "C-NEW", "New", "new@example.com", "2026-11-23T10:01:00Z"),
        CustomerRecord("3", "C-NONE", "No mail", "", "2026-11-23T10:02:00Z"),
    ]
    assert carrier.sync_customers() == 1
    assert carrier.sync_customers() == 0
    assert pos.created == ["new@example.com"]


def test_erp_stock_moves_reach_the_pos_once(tmp_path: Path) -> None:
    erp, pos = ScriptedErp(), ScriptedPosCatalogue(set())
    carrier = sync(tmp_path, erp, pos)
    erp.moves = [
        ErpStockMove("L1", "SKU-A", "S0001", Decimal(7)),
        ErpStockMove("L2", "SKU-A", "S0001", Decimal(0)),
    ]
    assert carrier.sync_receipts() == 1
    assert carrier.sync_receipts() == 0
    erp.moves.append(ErpStockMove("L3", "SKU-B", "S0002", Decimal(-2)))
    assert carrier.sync_receipts() == 1
    assert pos.sent == [["L1", "L2"], ["L3"]]
    assert carrier.metrics.snapshot()["pos_receipts"] == 3


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


@pytest.mark.slow
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
