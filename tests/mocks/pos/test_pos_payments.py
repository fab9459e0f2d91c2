"""Payments and refunds: PENDING → COMPLETED asynchronously; refund rules."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pos_support import API, key, location_id, make_settings

from mocks.pos.engine.background import settle_due
from mocks.pos.square import create_app


@pytest.fixture
def slow_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, payment_settle_seconds=30, refund_settle_seconds=30)
    with TestClient(create_app(settings), headers=API) as client:
        yield client


def later(client: TestClient, seconds: float) -> Any:
    store = client.app.state.pos_store  # type: ignore[attr-defined]
    moment = store.clock() + timedelta(seconds=seconds)
    return replace(store, clock=lambda: moment)


def pay(client: TestClient, amount: int, **extra: Any) -> Any:
    return client.post(
        "/v2/payments",
        json={
            "idempotency_key": key("pay"),
            "source_id": "cnon:card-nonce-ok",
            "amount_money": {"amount": amount, "currency": "USD"},
            **extra,
        },
    )


def refund(client: TestClient, payment_id: str, amount: int) -> Any:
    return client.post(
        "/v2/refunds",
        json={
            "idempotency_key": key("ref"),
            "payment_id": payment_id,
            "amount_money": {"amount": amount, "currency": "USD"},
        },
    )


def test_card_payment_is_pending_then_completes(slow_client: TestClient) -> None:
    payment = pay(slow_client, 500).json()["payment"]
    assert payment["status"] == "PENDING"
    assert settle_due(later(slow_client, 5)) == 0
    assert slow_client.get(f"/v2/payments/{payment['id']}").json()["payment"]["status"] == "PENDING"
    assert settle_due(later(slow_client, 31)) == 1
    assert (
        slow_client.get(f"/v2/payments/{payment['id']}").json()["payment"]["status"] == "COMPLETED"
    )


def test_order_completes_when_its_pending_payment_settles(slow_client: TestClient) -> None:
    loc = location_id(slow_client)
    order = slow_client.post(
        "/v2/orders",
        json={
            "order": {
                "location_id": loc,
                "line_items": [
                    {
                        "name": "x",
                        "quantity": "2",
                        "base_price_money": {"amount": 150, "currency": "USD"},
                    }
                ],
            }
        },
    ).json()["order"]
    pay(slow_client, 300, order_id=order["id"])
    assert slow_client.get(f"/v2/orders/{order['id']}").json()["order"]["state"] == "OPEN"
    settle_due(later(slow_client, 31))
    settled = slow_client.get(f"/v2/orders/{order['id']}").json()["order"]
    assert settled["state"] == "COMPLETED"
    assert [t["amount_money"]["amount"] for t in settled["tenders"]] == [300]


def test_pending_payment_cannot_be_refunded(slow_client: TestClient) -> None:
    payment = pay(slow_client, 500).json()["payment"]
    response = refund(slow_client, payment["id"], 100)
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["category"]) == ("PAYMENT_NOT_REFUNDABLE", "REFUND_ERROR")


def test_refunds_up_to_the_amount_collected(client: TestClient) -> None:
    payment = pay(client, 1000).json()["payment"]
    assert refund(client, payment["id"], 600).status_code == 200
    too_much = refund(client, payment["id"], 401)
    assert too_much.status_code == 400
    assert too_much.json()["errors"][0]["code"] == "REFUND_AMOUNT_INVALID"
    assert too_much.json()["errors"][0]["field"] == "amount_money.amount"
    assert refund(client, payment["id"], 400).status_code == 200
    assert refund(client, payment["id"], 1).status_code == 400


def test_refund_goes_pending_to_completed_and_updates_the_payment(slow_client: TestClient) -> None:
    payment = pay(slow_client, 800).json()["payment"]
    settle_due(later(slow_client, 31))
    created = refund(slow_client, payment["id"], 300).json()["refund"]
    assert created["status"] == "PENDING"
    settle_due(later(slow_client, 62))
    assert slow_client.get(f"/v2/refunds/{created['id']}").json()["refund"]["status"] == "COMPLETED"
    updated = slow_client.get(f"/v2/payments/{payment['id']}").json()["payment"]
    assert updated["refunded_money"] == {"amount": 300, "currency": "USD"}
    assert updated["refund_ids"] == [created["id"]]


def test_failed_refunds_release_the_amount(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, refund_failure_rate=1.0, refund_settle_seconds=1)
    with TestClient(create_app(settings), headers=API) as client:
        payment = pay(client, 500).json()["payment"]
        failed = refund(client, payment["id"], 500).json()["refund"]
        settle_due(later(client, 5))
        assert client.get(f"/v2/refunds/{failed['id']}").json()["refund"]["status"] == "FAILED"
        assert "refunded_money" not in client.get(f"/v2/payments/{payment['id']}").json()["payment"]
        assert refund(client, payment["id"], 500).status_code == 200


def test_refund_in_another_currency_is_refused(client: TestClient) -> None:
    payment = pay(client, 500).json()["payment"]
    response = client.post(
        "/v2/refunds",
        json={
            "idempotency_key": key(),
            "payment_id": payment["id"],
            "amount_money": {"amount": 100, "currency": "EUR"},
        },
    )
    assert response.json()["errors"][0]["code"] == "CURRENCY_MISMATCH"


def test_payment_idempotency(client: TestClient) -> None:
    body = {
        "idempotency_key": "pay-1",
        "source_id": "CASH",
        "amount_money": {"amount": 700, "currency": "USD"},
        "cash_details": {"buyer_supplied_money": {"amount": 1000, "currency": "USD"}},
    }
    first = client.post("/v2/payments", json=body).json()["payment"]
    assert first["cash_details"]["change_back_money"]["amount"] == 300
    assert client.post("/v2/payments", json=body).json()["payment"]["id"] == first["id"]
    body["amount_money"]["amount"] = 701
    assert (
        client.post("/v2/payments", json=body).json()["errors"][0]["code"]
        == "IDEMPOTENCY_KEY_REUSED"
    )
    assert len(client.get("/v2/payments").json()["payments"]) == 1


def test_declined_card_and_unknown_source(client: TestClient) -> None:
    declined = pay(client, 100, source_id="cnon:card-nonce-declined")
    assert declined.status_code == 402
    assert declined.json()["errors"][0]["category"] == "PAYMENT_METHOD_ERROR"
    unknown = pay(client, 100, source_id="visa-4111")
    assert unknown.status_code == 400
    assert unknown.json()["errors"][0]["field"] == "source_id"


def test_overpaying_an_order_is_refused(client: TestClient) -> None:
    loc = location_id(client)
    order = client.post(
        "/v2/orders",
        json={
            "order": {
                "location_id": loc,
                "line_items": [
                    {
                        "name": "x",
                        "quantity": "1",
                        "base_price_money": {"amount": 100, "currency": "USD"},
                    }
                ],
            }
        },
    ).json()["order"]
    response = pay(client, 101, order_id=order["id"])
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "amount_money.amount"
