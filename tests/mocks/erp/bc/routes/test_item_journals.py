"""Item journals: journal lines adjust stock per store; entry types need positive quantities."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, journal_id, stock_of


def test_journal_lines_adjust_stock(erp: TestClient) -> None:
    jid = journal_id(erp)
    url = f"{BASE}/itemJournals({jid})/journalLines"
    shrink = {"itemNumber": "SKU-2", "locationCode": "S001", "quantity": -4}
    receipt = {
        "itemNumber": "SKU-2",
        "locationCode": "S001",
        "quantity": 10,
        "entryType": "Positive Adjmt.",
    }
    waste = {**receipt, "quantity": 1, "entryType": "Negative Adjmt."}
    for body in (shrink, receipt, waste):
        assert erp.post(url, json=body, headers=API).status_code == 201
    assert stock_of(erp, "SKU-2", "S001") == 50 - 4 + 10 - 1
    lines = erp.get(url, headers=API).json()["value"]
    assert [line["entryType"] for line in lines] == [
        "Negative Adjmt.",
        "Positive Adjmt.",
        "Negative Adjmt.",
    ]


def test_journal_line_with_entry_type_needs_positive_quantity(erp: TestClient) -> None:
    jid = journal_id(erp)
    response = erp.post(
        f"{BASE}/itemJournals({jid})/journalLines",
        json={"itemNumber": "SKU-1", "quantity": -1, "entryType": "Positive Adjmt."},
        headers=API,
    )
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "quantity"
