"""The driver's transaction JSON keeps the simulator's document totals."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import simulator
from domain import Return, Sale
from tests.tillbench.live.support import tiny_scenario
from tillbench.live.payloads import transaction_payload


def test_driver_json_keeps_document_totals(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    checked = 0
    for event in simulator.iter_events(sc):
        body = transaction_payload(event.kind, event.document, zone=sc.zone)
        assert body["txn_id"] == event.txn_id
        assert body["completed_at"].startswith(event.at.isoformat()[:19])
        doc = event.document
        if isinstance(doc, Sale | Return):
            live = [line for line in body["lines"] if not line.get("voided")]
            assert sum(line["tax"] for line in live) == doc.tax_total.minor_units()
            total = sum(line["net"] + line["tax"] for line in live)
            assert total == doc.total.minor_units()
            assert sum(t["amount"] for t in body["tenders"]) == total
            assert all(Decimal(line["quantity"]) > 0 for line in live)
            checked += 1
    assert checked > 20
