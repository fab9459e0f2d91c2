"""A real uvicorn server: acknowledged writes survive kill -9; faults act on the socket."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from mocks.core.process import MockProcess
from tests.mocks.erp.support import ADMIN, API, BASE, CATALOG, STOCK_URL, invoice, settings

pytestmark = pytest.mark.slow


def _stock(client: httpx.Client, base_url: str) -> float:
    url = f"{base_url}{STOCK_URL}"
    body = client.get(
        url, params={"locationCode": "S001", "itemNumber": "SKU-1"}, headers=API
    ).json()
    return float(body["value"][0]["inventory"])


def test_acknowledged_invoices_survive_kill_9(tmp_path: Path) -> None:
    config = settings(tmp_path)
    server = MockProcess("mocks.erp.bc.app:create_app", settings=config).start()
    acknowledged: list[str] = []
    try:
        with httpx.Client(base_url=server.base_url, timeout=10) as client:
            assert client.post("/admin/erp/catalog", json=CATALOG, headers=ADMIN).is_success
            for index in range(50):
                response = client.post(
                    f"{BASE}/salesInvoices",
                    json=invoice(f"K-{index}", ("SKU-1", "S001", 1)),
                    headers=API,
                )
                assert response.status_code == 201
                acknowledged.append(response.json()["id"])
        server.kill()
    finally:
        server.stop()
    with (
        MockProcess("mocks.erp.bc.app:create_app", settings=config) as again,
        httpx.Client(base_url=again.base_url, timeout=10) as client,
    ):
        for doc_id in acknowledged:
            assert client.get(f"{BASE}/salesInvoices({doc_id})", headers=API).status_code == 200
        assert _stock(client, again.base_url) == 100 - 50


def test_reset_and_hang_outages_on_a_real_socket(tmp_path: Path) -> None:
    config = settings(tmp_path, hang_seconds=5)
    with (
        MockProcess("mocks.erp.bc.app:create_app", settings=config) as server,
        httpx.Client(base_url=server.base_url, timeout=10) as client,
    ):
        client.post("/admin/faults", json={"kind": "outage", "mode": "reset"}, headers=ADMIN)
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
            client.get(f"{BASE}/items", headers=API)
        client.delete("/admin/faults", headers=ADMIN)
        client.post("/admin/faults", json={"kind": "outage", "mode": "hang"}, headers=ADMIN)
        with pytest.raises(httpx.ReadTimeout):
            client.get(f"{BASE}/items", headers=API, timeout=0.5)
        client.delete("/admin/faults", headers=ADMIN)
        assert client.get(f"{BASE}/items", headers=API).status_code == 200
        rows = client.get("/admin/journal", headers=ADMIN).json()["rows"]
        assert [r["status"] for r in rows][:1] == [0]
