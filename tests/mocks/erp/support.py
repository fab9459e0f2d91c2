"""Helpers of the ERP tests (Business Central dialect on the ERP engine): settings, a
seeded client, invoice bodies, stock reads."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from mocks.erp.bc import create_app
from tests.mocks.support import on_loopback

API = {"Authorization": "Bearer api-1"}
ADMIN = {"Authorization": "Bearer admin-1"}
COMPANY = "5d115c9c-44e3-ea11-bb43-000d3a2feca1"
BASE = f"/api/v2.0/companies({COMPANY})"
STOCK_URL = f"/api/tillbench/inventory/v1.0/companies({COMPANY})/locationInventories"

CATALOG: dict[str, Any] = {
    "items": [
        {"number": "SKU-1", "displayName": "Milk 1l", "unitPrice": "1.29"},
        {"number": "SKU-2", "displayName": "Bread", "unitPrice": "2.50"},
        {"number": "SKU-3", "displayName": "Eggs", "unitPrice": "3.10"},
    ],
    "locations": [{"code": "S001", "displayName": "Store 1"}, {"code": "S002"}],
    "stock": [
        {"itemNumber": "SKU-1", "locationCode": "S001", "quantity": 100},
        {"itemNumber": "SKU-2", "locationCode": "S001", "quantity": 50},
        {"itemNumber": "SKU-1", "locationCode": "S002", "quantity": 10},
    ],
}


def settings(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """Test settings: own SQLite file, known tokens, capacity off unless asked."""
    return {
        "db_url": f"sqlite:///{tmp_path / 'erp.sqlite'}",
        "api_tokens": {"api-1": "alice", "api-2": "bob"},
        "admin_token": "admin-1",
        "capacity": False,
        **overrides,
    }


def seeded_client(
    tmp_path: Path, *, now: Callable[[], float] = time.time, **overrides: Any
) -> TestClient:
    """A TestClient (enter it) on an app whose catalogue is loaded; ``now`` is its wall
    clock (a ``FakeClock`` to move time without sleeping)."""
    client = TestClient(create_app(settings(tmp_path, **overrides), now=now))
    response = client.post("/admin/erp/catalog", json=CATALOG, headers=ADMIN)
    assert response.status_code == 200, response.text
    return client


def invoice(ext: str, *lines: tuple[str, str, float], **extra: Any) -> dict[str, Any]:
    """An invoice body; lines are (sku, store, quantity)."""
    return {
        "externalDocumentNumber": ext,
        "customerNumber": "RETAIL",
        "salesInvoiceLines": [
            {"lineObjectNumber": sku, "locationCode": store, "quantity": qty}
            for sku, store, qty in lines
        ],
        **extra,
    }


def credit_memo(ext: str, *lines: tuple[str, str, float], **extra: Any) -> dict[str, Any]:
    """A credit memo body; lines are (sku, store, quantity)."""
    return {
        "externalDocumentNumber": ext,
        "customerNumber": "RETAIL",
        "salesCreditMemoLines": [
            {"lineObjectNumber": sku, "locationCode": store, "quantity": qty}
            for sku, store, qty in lines
        ],
        **extra,
    }


def stock_of(client: TestClient, sku: str, store: str) -> float:
    """ERP stock of one SKU in one store, read back through the inventory API."""
    response = client.get(STOCK_URL, params={"locationCode": store, "itemNumber": sku}, headers=API)
    assert response.status_code == 200, response.text
    values = response.json()["value"]
    return float(values[0]["inventory"]) if values else 0.0


def journal_id(client: TestClient, code: str = "POS") -> str:
    """Create an item journal and return its id."""
    response = client.post(f"{BASE}/itemJournals", json={"code": code}, headers=API)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def create_and_post(erp: TestClient, segment: str, body: dict[str, Any]) -> dict[str, Any]:
    """Create a draft of ``segment`` (salesInvoices / salesCreditMemos), post it with the
    bound action ``Microsoft.NAV.post`` and return the posted document."""
    created = erp.post(f"{BASE}/{segment}", json=body, headers=API)
    assert created.status_code == 201, created.text
    doc: dict[str, Any] = created.json()
    assert doc["status"] == "Draft"
    posted = erp.post(f"{BASE}/{segment}({doc['id']})/Microsoft.NAV.post", headers=API)
    assert posted.status_code == 204, posted.text
    final: dict[str, Any] = erp.get(f"{BASE}/{segment}({doc['id']})", headers=API).json()
    return final


@contextmanager
def serve_erp(tmp_path: Path, **overrides: Any) -> Iterator[str]:
    """The mock ERP under uvicorn on 127.0.0.1 (a free port), seeded with ``CATALOG``;
    yields its base URL (``http://127.0.0.1:PORT``)."""
    with on_loopback(create_app(settings(tmp_path, **overrides))) as base:
        seeded = httpx.post(f"{base}/admin/erp/catalog", json=CATALOG, headers=ADMIN)
        assert seeded.status_code == 200, seeded.text
        yield base
