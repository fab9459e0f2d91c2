"""``companies``: the one company this mock serves."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, COMPANY


def test_companies_lists_the_company(erp: TestClient) -> None:
    assert erp.get("/api/v2.0/companies", headers=API).json()["value"][0]["id"] == COMPANY
