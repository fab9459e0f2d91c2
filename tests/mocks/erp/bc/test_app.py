"""The Business Central app on the shared core: auth, journal, limits, bad input, faults,
settings."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mocks.core import ConfigError
from mocks.erp.bc import create_app
from tests.mocks.erp.support import ADMIN, API, BASE, invoice, seeded_client, settings
from tests.mocks.support import FakeClock


def test_api_token_does_not_grant_admin_and_admin_token_is_not_api(erp: TestClient) -> None:
    assert erp.get("/admin/journal", headers=API).status_code == 403
    assert erp.get(f"{BASE}/items", headers=ADMIN).status_code == 401
    assert erp.post("/admin/erp/catalog", json={}, headers=API).status_code == 403


def test_every_api_route_needs_a_token(erp: TestClient) -> None:
    """Each GET route of the OpenAPI document refuses a request without a token."""
    paths = erp.get("/openapi.json").json()["paths"]
    company = erp.get("/api/v2.0/companies", headers=API).json()["value"][0]["id"]
    checked = 0
    for path, operations in paths.items():
        if "get" not in operations or path.startswith("/admin"):
            continue
        url = path.replace("{company_id}", company)
        if "{" in url:
            continue
        assert erp.get(url).status_code == 401, url
        checked += 1
    assert checked >= 5


def test_missing_token_is_401_odata(erp: TestClient) -> None:
    response = erp.get(f"{BASE}/items")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "Authentication_InvalidCredentials"


def test_journal_records_invoice_posts(erp: TestClient) -> None:
    created = erp.post(
        f"{BASE}/salesInvoices",
        json=invoice("J-1", ("SKU-1", "S001", 1)),
        headers={**API, "Idempotency-Key": "idem-1"},
    ).json()
    erp.post(f"{BASE}/salesInvoices", json=invoice("J-1", ("SKU-1", "S001", 1)), headers=API)
    rows = erp.get(
        "/admin/journal", params={"path_prefix": f"{BASE}/salesInvoices"}, headers=ADMIN
    ).json()["rows"]
    assert [(r["method"], r["status"]) for r in rows] == [("POST", 201), ("POST", 201)]
    assert rows[0]["document_id"] == created["id"]
    assert rows[0]["ref"] == "J-1"
    assert rows[0]["idempotency_key"] == "idem-1"
    assert rows[0]["credential"] == "alice"
    assert rows[0]["body_sha256"] == rows[1]["body_sha256"] or rows[0]["body_bytes"] > 0


def test_huge_body_is_413(erp: TestClient) -> None:
    lines = [("SKU-1", "S001", 1)] * 20_000
    response = erp.post(f"{BASE}/salesInvoices", json=invoice("BIG", *lines), headers=API)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "RequestEntityTooLarge"


def test_malformed_json_is_400_naming_the_body(erp: TestClient) -> None:
    response = erp.post(
        f"{BASE}/salesInvoices",
        content=b'{"externalDocumentNumber": "X",',
        headers={**API, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["target"] == "body"
    assert "not valid JSON" in error["message"]


def test_wrong_type_is_400_naming_the_field(erp: TestClient) -> None:
    body = invoice("W-1", ("SKU-1", "S001", 1))
    body["salesInvoiceLines"][0]["quantity"] = "lots"
    response = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
    assert response.status_code == 400
    assert response.json()["error"]["target"] == "salesInvoiceLines[0].quantity"


def test_outage_fault_answers_503_in_odata_format(tmp_path: Path) -> None:
    clock = FakeClock()
    with seeded_client(tmp_path, now=clock) as erp:
        erp.post("/admin/faults", json={"kind": "outage", "for": 0.3}, headers=ADMIN)
        during = erp.get(f"{BASE}/items", headers=API)
        assert during.status_code == 503
        assert during.json()["error"]["code"] == "ServiceUnavailable"
        assert erp.get("/admin/health", headers=ADMIN).status_code == 200
        clock.advance(0.35)
        assert erp.get(f"{BASE}/items", headers=API).status_code == 200


def test_error_rate_fault_hits_about_its_share(erp: TestClient) -> None:
    erp.post("/admin/faults", json={"kind": "error", "status": 500, "rate": 0.5}, headers=ADMIN)
    statuses = [erp.get(f"{BASE}/items", headers=API).status_code for _ in range(80)]
    assert 20 <= statuses.count(500) <= 60
    assert set(statuses) == {200, 500}


def test_scenario_outage_on_the_timeline(tmp_path: Path) -> None:
    faults = [{"at": "07:00", "for": "30m", "target": "erp", "kind": "outage"}]
    config = settings(tmp_path, faults=faults, start="2026-11-27T07:00:00", speed=1800.0)
    clock = FakeClock()
    with TestClient(create_app(config, now=clock)) as erp:
        assert erp.get(f"{BASE}/items", headers=API).status_code == 503
        clock.advance(1.05)
        assert erp.get(f"{BASE}/items", headers=API).status_code == 200


def test_failed_write_is_not_applied_when_fault_errors(erp: TestClient) -> None:
    erp.post("/admin/faults", json={"kind": "error", "status": 500}, headers=ADMIN)
    assert (
        erp.post(
            f"{BASE}/salesInvoices", json=invoice("E-1", ("SKU-1", "S001", 1)), headers=API
        ).status_code
        == 500
    )
    erp.delete("/admin/faults", headers=ADMIN)
    assert erp.get(f"{BASE}/salesInvoices", headers=API).json()["value"] == []


def test_openapi_is_served_with_security_schemes(erp: TestClient) -> None:
    spec = erp.get("/openapi.json").json()
    assert "/api/v2.0/companies({company_id})/salesInvoices" in spec["paths"]
    assert "apiToken" in spec["components"]["securitySchemes"]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"concurrency": 0}, "erp.concurrency: input should be greater than or equal to 1"),
        ({"window": {"per": "forever"}}, "erp.window.per"),
        ({"duplicates": "maybe"}, "erp.duplicates"),
        ({"latency": {"median": "1s", "p99": "10ms"}}, "erp.latency"),
        ({"concurency": 5}, "erp.concurency: extra inputs are not permitted"),
    ],
)
def test_bad_settings_name_the_field(tmp_path: Path, section: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        create_app(settings(tmp_path, **section))


def test_error_after_commit_leaves_the_write_in_place(erp: TestClient) -> None:
    erp.post(
        "/admin/faults", json={"kind": "error", "status": 504, "phase": "after"}, headers=ADMIN
    )
    body = invoice("AFTER-1", ("SKU-1", "S001", 1))
    assert erp.post(f"{BASE}/salesInvoices", json=body, headers=API).status_code == 504
    erp.delete("/admin/faults", headers=ADMIN)
    retry = erp.post(f"{BASE}/salesInvoices", json=body, headers=API)
    assert retry.status_code == 201  # standard Business Central takes the number again
    found = erp.get(f"{BASE}/salesInvoices", headers=API).json()["value"]
    assert [d["externalDocumentNumber"] for d in found] == ["AFTER-1", "AFTER-1"]


def test_latency_after_commit_delays_the_answer_not_the_write(erp: TestClient) -> None:
    erp.post(
        "/admin/faults",
        json={"kind": "latency", "latency": "300ms", "phase": "after"},
        headers=ADMIN,
    )
    started = time.perf_counter()
    response = erp.post(
        f"{BASE}/salesInvoices", json=invoice("AFTER-2", ("SKU-1", "S001", 1)), headers=API
    )
    assert response.status_code == 201
    assert time.perf_counter() - started >= 0.3


def test_customers_filter_on_last_modified(erp: TestClient) -> None:
    response = erp.get(
        f"{BASE}/customers",
        params={"$filter": "lastModifiedDateTime gt 2000-01-01T00:00:00Z"},
        headers=API,
    )
    assert [c["number"] for c in response.json()["value"]] == ["RETAIL"]
