"""The hot path for document POSTs answers exactly like the regular FastAPI route
(which ``$batch`` operations use)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.mocks.erp.support import API, BASE, COMPANY, invoice, seeded_client


def _via_batch(erp: TestClient, segment: str, body: Any) -> tuple[int, Any]:
    op = {"id": "1", "method": "POST", "url": f"companies({COMPANY})/{segment}", "body": body}
    answer = erp.post("/api/v2.0/$batch", json={"requests": [op]}, headers=API).json()
    return answer["responses"][0]["status"], answer["responses"][0]["body"]


def _direct(erp: TestClient, segment: str, body: Any) -> tuple[int, Any]:
    response = erp.post(f"{BASE}/{segment}", json=body, headers=API)
    return response.status_code, response.json()


BAD_BODIES = [
    invoice("F-1", ("GHOST", "S001", 1)),
    invoice("F-2", ("SKU-1", "S001", 0)),
    invoice("F-3", ("SKU-1", "S001", 1), extra=1),
    {"salesInvoiceLines": "nope"},
    [],
    None,
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_errors_match_the_regular_route(erp: TestClient, body: Any) -> None:
    direct = _direct(erp, "salesInvoices", body)
    batched = _via_batch(erp, "salesInvoices", body)
    assert direct[0] == batched[0]
    assert direct[0] >= 400
    assert direct[1]["error"].get("target") == batched[1]["error"].get("target")


def test_success_bodies_have_the_same_shape(erp: TestClient) -> None:
    status, direct = _direct(erp, "salesInvoices", invoice("S-1", ("SKU-1", "S001", 2)))
    batch_status, batched = _via_batch(erp, "salesInvoices", invoice("S-2", ("SKU-1", "S001", 2)))
    assert (status, batch_status) == (201, 201)
    assert direct.keys() == batched.keys()
    assert direct["totalAmountExcludingTax"] == batched["totalAmountExcludingTax"]


def test_duplicate_is_409_on_both_paths_when_refused(tmp_path: Path) -> None:
    with seeded_client(tmp_path, duplicates="reject") as erp:
        body = invoice("D-1", ("SKU-1", "S001", 1))
        assert _direct(erp, "salesInvoices", body)[0] == 201
        assert _direct(erp, "salesInvoices", body)[0] == 409
        assert _via_batch(erp, "salesInvoices", body)[0] == 409


def test_both_paths_send_the_etag_header(erp: TestClient) -> None:
    response = erp.post(
        f"{BASE}/salesInvoices", json=invoice("E-1", ("SKU-1", "S001", 1)), headers=API
    )
    assert response.headers["ETag"] == response.json()["@odata.etag"]
    op = {"id": "1", "method": "POST", "url": f"companies({COMPANY})/salesInvoices"}
    op["body"] = invoice("E-2", ("SKU-1", "S001", 1))
    answer = erp.post("/api/v2.0/$batch", json={"requests": [op]}, headers=API).json()
    first = answer["responses"][0]
    assert first["headers"]["etag"] == first["body"]["@odata.etag"]


def test_fast_path_checks_token_and_company(erp: TestClient) -> None:
    body = invoice("A-1", ("SKU-1", "S001", 1))
    assert erp.post(f"{BASE}/salesInvoices", json=body).status_code == 401
    other = "/api/v2.0/companies(00000000-0000-0000-0000-000000000001)/salesInvoices"
    assert erp.post(other, json=body, headers=API).status_code == 404
    bad = erp.post("/api/v2.0/companies(zzz)/salesInvoices", json=body, headers=API)
    assert bad.status_code == 400
    assert bad.json()["error"]["target"] == "company_id"
