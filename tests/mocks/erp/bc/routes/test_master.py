"""Items, customers and locations: inventory summed over stores, keys that cannot change."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, create_and_post, invoice


def test_item_inventory_is_the_sum_over_stores(erp: TestClient) -> None:
    create_and_post(erp, "salesInvoices", invoice("I-1", ("SKU-1", "S002", 4)))
    items = erp.get(f"{BASE}/items", params={"$filter": "number eq 'SKU-1'"}, headers=API).json()[
        "value"
    ]
    assert items[0]["inventory"] == 100 + 10 - 4


def _item(erp: TestClient, number: str = "SKU-1") -> dict:
    found = erp.get(f"{BASE}/items", params={"$filter": f"number eq '{number}'"}, headers=API)
    return found.json()["value"][0]


def test_item_number_cannot_change(erp: TestClient) -> None:
    item = _item(erp)
    response = erp.patch(
        f"{BASE}/items({item['id']})", json={"number": "OTHER"}, headers={**API, "If-Match": "*"}
    )
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "number"
