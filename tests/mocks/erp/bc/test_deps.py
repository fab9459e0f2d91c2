"""Dependencies of the Business Central routes: the company in the path."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.mocks.erp.support import API


def test_unknown_company_is_404_and_bad_id_400(erp: TestClient) -> None:
    other = erp.get("/api/v2.0/companies(00000000-0000-0000-0000-000000000001)/items", headers=API)
    assert other.status_code == 404
    bad = erp.get("/api/v2.0/companies(not-a-guid)/items", headers=API)
    assert bad.status_code == 400
    assert bad.json()["error"]["target"] == "company_id"
