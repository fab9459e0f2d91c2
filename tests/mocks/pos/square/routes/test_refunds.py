"""Refunds: only completed payments, up to what is left, PENDING → COMPLETED or FAILED,
same currency."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from mocks.pos.engine.background import settle_due
from mocks.pos.square import create_app
from tests.mocks.pos.square.routes.support import later, pay, refund
from tests.mocks.pos.support import API, key, make_settings


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
