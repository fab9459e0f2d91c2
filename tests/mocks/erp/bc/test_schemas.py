"""Request schemas: unknown properties and bad values are 400, naming the field."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, invoice


def test_unknown_property_is_rejected_naming_it(erp: TestClient) -> None:
    body = invoice("U-1", ("SKU-1", "S001", 1), shipToPlanet="Mars")
    response = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "shipToPlanet"


def test_negative_quantity_is_400_naming_the_line_field(erp: TestClient) -> None:
    response = erp.post(
        f"{BASE}/salesInvoices", json=invoice("N-1", ("SKU-1", "S001", -2)), headers=API
    )
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "salesInvoiceLines[0].quantity"
