"""Gateway behaviour: auth, errors never 500, body limit, journal, fault injection."""

from __future__ import annotations

import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from toy_dialect import ADMIN, API, toy_app, toy_settings

from mocks.core import ConnectionResetFault, export_journal


def test_create_and_read_note(client: TestClient) -> None:
    created = client.post("/notes", json={"text": "hello"}, headers=API)
    assert created.status_code == 201
    note_id = created.json()["id"]
    assert client.get(f"/notes/{note_id}", headers=API).json()["text"] == "hello"


def test_missing_token_is_401_naming_the_header(client: TestClient) -> None:
    response = client.post("/notes", json={"text": "x"})
    assert response.status_code == 401
    assert response.json()["problem"]["field"] == "Authorization"
    assert response.headers["www-authenticate"] == "Bearer"


def test_admin_token_is_not_an_api_token(client: TestClient) -> None:
    assert client.post("/notes", json={"text": "x"}, headers=ADMIN).status_code == 401


def test_api_token_does_not_grant_admin(client: TestClient) -> None:
    assert client.get("/admin/health", headers=API).status_code == 403
    assert client.get("/admin/health").status_code == 401
    assert client.get("/admin/health", headers=ADMIN).json()["status"] == "ok"


def test_malformed_json_is_400_naming_the_body(client: TestClient) -> None:
    response = client.post(
        "/notes", content=b'{"text": ', headers={**API, "Content-Type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()["problem"]
    assert body["field"] == "body"
    assert "not valid JSON" in body["message"]


def test_invalid_field_is_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/notes", json={"text": "x", "copies": 9}, headers=API)
    assert response.status_code == 400
    problem = response.json()["problem"]
    assert problem["field"] == "copies"
    assert "got 9" in problem["message"]


def test_unknown_route_is_404_in_dialect_format(client: TestClient) -> None:
    response = client.get("/nope", headers=API)
    assert response.status_code == 404
    assert response.json()["problem"]["status"] == 404


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


def test_journal_pages_with_since_id(client: TestClient) -> None:
    for i in range(5):
        client.post("/notes", json={"text": str(i)}, headers=API)
    first = client.get("/admin/journal", params={"limit": 3}, headers=ADMIN).json()
    second = client.get(
        "/admin/journal", params={"since_id": first["next_since_id"]}, headers=ADMIN
    ).json()
    ids = [r["id"] for r in first["rows"] + second["rows"]]
    assert len(ids) == 5
    assert ids == sorted(set(ids))


def test_journal_exports_to_parquet(client: TestClient, tmp_path: Path) -> None:
    client.post("/notes", json={"text": "a"}, headers=API)
    client.post("/notes", json={"text": "b"}, headers=API)
    ctx = client.app.state.mock
    ctx.journal.flush()
    out = tmp_path / "run" / "erp_journal.parquet"
    assert export_journal(ctx.db, out) == 2
    table = pq.read_table(out)
    assert table.column("status").to_pylist() == [201, 201]
    assert table.schema.field("ts").type.tz == "UTC"


def test_error_fault_injects_status_at_rate_one(client: TestClient) -> None:
    added = client.post("/admin/faults", json={"kind": "error", "status": 502}, headers=ADMIN)
    assert added.status_code == 201
    assert client.post("/notes", json={"text": "a"}, headers=API).status_code == 502
    client.delete("/admin/faults", headers=ADMIN)
    assert client.post("/notes", json={"text": "a"}, headers=API).status_code == 201
    faults = [r["fault"] for r in client.get("/admin/journal", headers=ADMIN).json()["rows"]]
    assert faults[0].startswith("error:")
    assert faults[1] is None


def test_outage_503_carries_retry_after_and_ends(client: TestClient) -> None:
    client.post("/admin/faults", json={"kind": "outage", "for": 0.3}, headers=ADMIN)
    during = client.get("/notes/1", headers=API)
    assert during.status_code == 503
    assert during.headers["retry-after"] == "1"
    time.sleep(0.35)
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


def test_invalid_fault_is_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/admin/faults", json={"kind": "error", "rate": 3}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["problem"]["field"] == "fault.rate"


def test_remove_unknown_fault_is_404(client: TestClient) -> None:
    assert client.delete("/admin/faults/nope", headers=ADMIN).status_code == 404


def test_timeline_fault_from_settings_applies_in_its_window(tmp_path: Path) -> None:
    settings = toy_settings(
        tmp_path,
        start="2026-11-27T07:00:00",
        speed=3600.0,
        faults=[
            {"at": "07:00", "for": "1h", "target": "toy", "kind": "error", "status": 504},
            {"at": "07:00", "target": "erp", "kind": "error", "status": 500},
        ],
    )
    with TestClient(toy_app(settings)) as c:
        assert c.get("/notes/1", headers=API).status_code == 504
        time.sleep(1.05)
        assert c.get("/notes/1", headers=API).status_code == 404


def test_faults_are_shared_between_workers_through_the_database(tmp_path: Path) -> None:
    settings = toy_settings(tmp_path, fault_sync_interval=0.05)
    with TestClient(toy_app(settings)) as one, TestClient(toy_app(settings)) as two:
        one.post("/admin/faults", json={"kind": "error", "status": 503}, headers=ADMIN)
        time.sleep(0.06)
        assert two.get("/notes/1", headers=API).status_code == 503


def test_journal_since_id_is_bounded(client: TestClient) -> None:
    response = client.get("/admin/journal", params={"since_id": 2**63}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["problem"]["field"] == "since_id"


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
