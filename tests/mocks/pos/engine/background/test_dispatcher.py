"""Signed webhook deliveries over real HTTP: signature, at-least-once with retries, delivery
log, and the fault engine's drop and duplicate switches."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow.parquet
import pytest
from fastapi.testclient import TestClient

from mocks.pos.engine import DELIVERY_SCHEMA, export_deliveries
from mocks.pos.square import create_app
from tests.mocks.pos.receiver_support import Receiver, running
from tests.mocks.pos.support import ADMIN, API, make_settings

FAST = {
    "retry_base_seconds": 0.05,
    "retry_cap_seconds": 0.2,
    "poll_seconds": 0.02,
    "timeout_seconds": 2,
    "jitter": 0,
    "reorder_hold_seconds": 0.5,
}


@pytest.fixture
def app_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, run_background=True, webhooks=FAST, fault_sync_interval=0.05)
    with TestClient(create_app(settings), headers=API) as client:
        yield client


def subscribe(client: TestClient, url: str, *types: str) -> dict[str, Any]:
    response = client.post(
        "/v2/webhooks/subscriptions",
        json={
            "subscription": {
                "name": "t",
                "notification_url": url,
                "event_types": list(types) or ["customer.created"],
            }
        },
    )
    assert response.status_code == 200, response.text
    return dict(response.json()["subscription"])


def create_customers(client: TestClient, count: int) -> None:
    for i in range(count):
        assert client.post("/v2/customers", json={"given_name": f"C{i}"}).status_code == 200


def expected_signature(key: str, url: str, body: bytes) -> str:
    digest = hmac.new(key.encode(), url.encode() + body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def event_ids(calls: list[tuple[dict[str, str], bytes]]) -> list[str]:
    return [json.loads(body)["event_id"] for _, body in calls]


def test_deliveries_are_signed_over_url_and_body(app_client: TestClient) -> None:
    with running(Receiver()) as receiver:
        subscription = subscribe(app_client, receiver.url)
        create_customers(app_client, 2)
        calls = receiver.wait_for(lambda c: len(c) >= 2)
    for headers, body in calls:
        signature = headers["x-square-hmacsha256-signature"]
        assert signature == expected_signature(subscription["signature_key"], receiver.url, body)
        assert signature != expected_signature("wrong-key", receiver.url, body)
        event = json.loads(body)
        assert event["type"] == "customer.created"
        assert event["data"]["object"]["customer"]["given_name"].startswith("C")
    assert len(set(event_ids(calls))) == 2


def test_failed_deliveries_are_retried_until_acknowledged(
    app_client: TestClient, tmp_path: Path
) -> None:
    with running(Receiver(fail_first=2)) as receiver:
        subscribe(app_client, receiver.url)
        create_customers(app_client, 1)
        calls = receiver.wait_for(lambda c: len(c) >= 3)
    assert len(set(event_ids(calls))) == 1
    rows = app_client.get("/admin/pos/webhooks/deliveries", headers=ADMIN).json()["rows"]
    assert [r["outcome"] for r in rows] == ["failed", "failed", "delivered"]
    assert [r["attempt"] for r in rows] == [1, 2, 3]
    assert [r["status_code"] for r in rows] == [500, 500, 200]
    outbox = app_client.get("/admin/pos/webhooks/outbox", headers=ADMIN).json()["outbox"]
    assert outbox == {"DELIVERED": 1}
    exported = tmp_path / "run" / "pos_webhook_deliveries.parquet"
    assert export_deliveries(app_client.app.state.mock.db, exported) == 3  # type: ignore[attr-defined]
    table = pyarrow.parquet.read_table(exported)
    assert table.schema == DELIVERY_SCHEMA
    assert table.column("outcome").to_pylist() == ["failed", "failed", "delivered"]


def test_unreachable_receiver_is_logged_and_retried(app_client: TestClient) -> None:
    subscribe(app_client, "http://127.0.0.1:9/nothing-listens")
    create_customers(app_client, 1)
    rows: list[dict[str, Any]] = []
    for _ in range(500):
        rows = app_client.get("/admin/pos/webhooks/deliveries", headers=ADMIN).json()["rows"]
        if len(rows) >= 2:
            break
        time.sleep(0.02)
    assert len(rows) >= 2
    assert {r["outcome"] for r in rows} == {"failed"}
    assert rows[0]["status_code"] is None
    assert "ConnectError" in rows[0]["error"]


def test_drop_fault_loses_deliveries(app_client: TestClient) -> None:
    fault = app_client.post(
        "/admin/faults", json={"kind": "drop", "target": "pos.webhooks", "for": 60}, headers=ADMIN
    )
    assert fault.status_code == 201, fault.text
    with running(Receiver()) as receiver:
        subscribe(app_client, receiver.url)
        create_customers(app_client, 3)
        for _ in range(500):
            state = app_client.get("/admin/pos/webhooks/outbox", headers=ADMIN).json()["outbox"]
            if state.get("DROPPED") == 3:
                break
            time.sleep(0.02)
        assert state == {"DROPPED": 3}
        assert receiver.calls == []


def test_duplicate_fault_sends_each_event_twice(app_client: TestClient) -> None:
    app_client.post(
        "/admin/faults",
        json={"kind": "duplicate", "target": "pos.webhooks", "for": 60},
        headers=ADMIN,
    )
    with running(Receiver()) as receiver:
        subscribe(app_client, receiver.url)
        create_customers(app_client, 2)
        calls = receiver.wait_for(lambda c: len(c) >= 4)
    ids = event_ids(calls)
    assert len(ids) == 4
    assert len(set(ids)) == 2
    assert all(ids.count(i) == 2 for i in ids)


def test_reorder_fault_lets_a_later_event_overtake(app_client: TestClient) -> None:
    with running(Receiver()) as receiver:
        subscribe(app_client, receiver.url)
        fault = app_client.post(
            "/admin/faults",
            json={"kind": "reorder", "target": "pos.webhooks", "for": 60},
            headers=ADMIN,
        ).json()
        app_client.post("/v2/customers", json={"given_name": "First"})
        for _ in range(500):
            log = app_client.get("/admin/pos/webhooks/deliveries", headers=ADMIN).json()["rows"]
            if [r["outcome"] for r in log] == ["held"]:
                break
            time.sleep(0.01)
        assert "reorder" in log[0]["error"]
        app_client.delete(f"/admin/faults/{fault['id']}", headers=ADMIN)
        time.sleep(0.1)
        app_client.post("/v2/customers", json={"given_name": "Second"})
        calls = receiver.wait_for(lambda c: len(c) >= 2)
    names = [json.loads(body)["data"]["object"]["customer"]["given_name"] for _, body in calls]
    assert names == ["Second", "First"]


def test_delay_fault_holds_deliveries_back(app_client: TestClient) -> None:
    app_client.post(
        "/admin/faults",
        json={"kind": "delay", "target": "pos.webhooks", "delay": "0.6s", "for": 60},
        headers=ADMIN,
    )
    with running(Receiver()) as receiver:
        subscribe(app_client, receiver.url)
        started = time.monotonic()
        create_customers(app_client, 1)
        receiver.wait_for(lambda c: len(c) >= 1)
        assert time.monotonic() - started >= 0.6
