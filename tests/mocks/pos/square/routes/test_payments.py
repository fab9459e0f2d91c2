"""Payments: PENDING → COMPLETED asynchronously (cash at once), idempotency, declines,
overpayment."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mocks.pos.engine.background import settle_due
from tests.mocks.pos.square.routes.support import later, pay
from tests.mocks.pos.support import location_id


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
