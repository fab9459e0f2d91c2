"""The gateway in front of every mock: body limit, request journal, fault injection,
exempt paths, Retry-After."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mocks.core import ConnectionResetFault
from tests.mocks.core.support import ADMIN, API, toy_app, toy_settings
from tests.mocks.support import FakeClock


def test_create_and_read_note(client: TestClient) -> None:
    created = client.post("/notes", json={"text": "hello"}, headers=API)
    assert created.status_code == 201
    note_id = created.json()["id"]
    assert client.get(f"/notes/{note_id}", headers=API).json()["text"] == "hello"


def test_body_over_limit_is_413_by_content_length(client: TestClient) -> None:
    response = client.post("/notes", json={"text": "x" * 5000}, headers=API)
    assert response.status_code == 413
    assert response.json()["problem"]["field"] == "body"


def test_body_over_limit_is_413_when_streamed(client: TestClient) -> None:
    def chunks():  # no Content-Length: chunked transfer
        for _ in range(10):
            yield b"x" * 500

    response = client.post("/notes", content=chunks(), headers=API)
    assert response.status_code == 413


def test_journal_records_requests_with_credential_and_notes(client: TestClient) -> None:
    client.post("/notes", json={"text": "a"}, headers={**API, "Idempotency-Key": "k-1"})
    client.get("/notes/999", headers={"Authorization": "Bearer tok-b"})
    client.get("/notes/1", headers={"Authorization": "Bearer stolen"})
    rows = client.get("/admin/journal", headers=ADMIN).json()["rows"]
    assert [(r["method"], r["status"]) for r in rows] == [("POST", 201), ("GET", 404), ("GET", 401)]
    post, miss, bad = rows
    assert post["credential"] == "alice"
    assert post["idempotency_key"] == "k-1"
    assert post["document_id"] == "1"
    assert post["body_sha256"] is not None
    assert post["body_bytes"] > 0
    assert miss["credential"] == "bob"
    assert bad["credential"].startswith("unknown:")
    assert "stolen" not in bad["credential"]
    assert all(r["latency_ms"] >= 0 for r in rows)


def test_admin_requests_are_not_journaled(client: TestClient) -> None:
    client.get("/admin/health", headers=ADMIN)
    assert client.get("/admin/journal", headers=ADMIN).json()["rows"] == []


def test_error_fault_injects_status_at_rate_one(client: TestClient) -> None:
    added = client.post("/admin/faults", json={"kind": "error", "status": 502}, headers=ADMIN)
    assert added.status_code == 201
    assert client.post("/notes", json={"text": "a"}, headers=API).status_code == 502
    client.delete("/admin/faults", headers=ADMIN)
    assert client.post("/notes", json={"text": "a"}, headers=API).status_code == 201
    faults = [r["fault"] for r in client.get("/admin/journal", headers=ADMIN).json()["rows"]]
    assert faults[0].startswith("error:")
    assert faults[1] is None


def test_outage_503_carries_retry_after_and_ends(tmp_path: Path) -> None:
    clock = FakeClock()
    with TestClient(toy_app(toy_settings(tmp_path), now=clock)) as client:
        client.post("/admin/faults", json={"kind": "outage", "for": 0.3}, headers=ADMIN)
        during = client.get("/notes/1", headers=API)
        assert during.status_code == 503
        assert during.headers["retry-after"] == "1"
        clock.advance(0.35)
        assert client.get("/notes/1", headers=API).status_code == 404


def test_outage_reset_drops_the_connection_in_process(client: TestClient) -> None:
    client.post("/admin/faults", json={"kind": "outage", "mode": "reset"}, headers=ADMIN)
    with pytest.raises(ConnectionResetFault):
        client.get("/notes/1", headers=API)


def test_latency_fault_delays_requests(client: TestClient) -> None:
    client.post("/admin/faults", json={"kind": "latency", "latency": "150ms"}, headers=ADMIN)
    started = time.perf_counter()
    client.get("/notes/1", headers=API)
    assert time.perf_counter() - started >= 0.15


def test_path_scoped_fault_spares_other_paths(client: TestClient) -> None:
    client.post("/admin/faults", json={"kind": "error", "paths": ["/notes/"]}, headers=ADMIN)
    assert client.get("/notes/1", headers=API).status_code == 500
    assert client.post("/notes", json={"text": "a"}, headers=API).status_code == 201


def test_exempt_paths_skip_faults_and_journal(tmp_path: Path) -> None:
    app = toy_app(toy_settings(tmp_path), exempt_paths=("/notes/",))
    with TestClient(app) as c:
        c.post("/admin/faults", json={"kind": "error", "status": 503}, headers=ADMIN)
        assert c.get("/notes/1", headers=API).status_code == 404
        assert c.post("/notes", json={"text": "a"}, headers=API).status_code == 503
        rows = c.get("/admin/journal", headers=ADMIN).json()["rows"]
        assert [r["path"] for r in rows] == ["/notes"]


@pytest.mark.parametrize(("speed", "expected"), [(1.0, "5"), (2.0, "3"), (60.0, "1")])
def test_retry_after_scales_with_the_run_speed(tmp_path: Path, speed: float, expected: str) -> None:
    with TestClient(toy_app(toy_settings(tmp_path, speed=speed))) as c:
        c.post("/admin/faults", json={"kind": "rate_limit"}, headers=ADMIN)
        response = c.get("/notes/1", headers=API)
        assert response.status_code == 429
        assert response.headers["retry-after"] == expected


def test_journal_masks_credentials_in_query_strings(client: TestClient) -> None:
    client.get("/notes/1?access_token=leaked-token&page=2", headers=API)
    rows = client.get("/admin/journal", headers=ADMIN).json()["rows"]
    assert [row["query"] for row in rows] == ["access_token=***&page=2"]
