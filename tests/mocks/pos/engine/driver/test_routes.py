"""Driver ingestion: sales, returns, cancels and post-voids become orders, payments,
refunds and stock moves, exactly once however often they are replayed."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.mocks.pos.support import ADMIN

SALE = {
    "kind": "sale",
    "txn_id": "S1-R1-0001",
    "store_id": "S1",
    "register_id": "R1",
    "cashier_id": "C7",
    "completed_at": "2026-11-27T10:15:00+00:00",
    "lines": [
        {
            "line_no": 1,
            "sku": "MILK",
            "name": "Milk",
            "quantity": "2",
            "unit_price": 149,
            "tax": 24,
            "tax_rate": "0.08",
        },
        {
            "line_no": 2,
            "sku": "BREAD",
            "name": "Bread",
            "quantity": "1",
            "unit_price": 300,
            "discount": 50,
            "tax": 20,
            "tax_rate": "0.08",
        },
        {"line_no": 3, "sku": "GUM", "quantity": "1", "unit_price": 99, "voided": True},
    ],
    "tenders": [
        {"kind": "card", "amount": 400, "brand": "MASTERCARD", "last4": "4444"},
        {"kind": "cash", "amount": 192, "tendered": 200, "change": 8},
    ],
}


def send(client: TestClient, *txns: dict[str, Any]) -> Any:
    return client.post("/driver/v1/transactions", json={"transactions": list(txns)}, headers=ADMIN)


def stock(client: TestClient, store: str) -> dict[str, str]:
    counts = client.post(
        "/v2/inventory/counts/batch-retrieve", json={"location_ids": [store]}
    ).json()["counts"]
    names = {
        v["id"]: v["item_variation_data"]["sku"]
        for v in client.get("/v2/catalog/list?types=ITEM_VARIATION").json()["objects"]
    }
    return {names[c["catalog_object_id"]]: c["quantity"] for c in counts}


def set_stock(client: TestClient, **skus: int) -> None:
    counts = [
        {"store_id": "S1", "sku": sku, "quantity": str(q), "occurred_at": "2026-11-27T07:00:00Z"}
        for sku, q in skus.items()
    ]
    response = client.post("/driver/v1/inventory", json={"counts": counts}, headers=ADMIN)
    assert response.status_code == 200, response.text


def test_sale_creates_completed_order_payments_and_moves_stock(client: TestClient) -> None:
    set_stock(client, MILK=10, BREAD=5)
    result = send(client, SALE).json()
    assert result["created"] == 1
    order = client.get(f"/v2/orders/{result['results'][0]['order_id']}").json()["order"]
    assert order["state"] == "COMPLETED"
    assert order["location_id"] == "S1"
    assert order["created_at"] == "2026-11-27T10:15:00.000Z"
    assert order["closed_at"] == "2026-11-27T10:15:00.000Z"
    assert order["total_money"]["amount"] == 2 * 149 + 24 + 300 - 50 + 20
    assert order["total_tax_money"]["amount"] == 44
    assert len(order["line_items"]) == 2
    assert sorted(t["amount_money"]["amount"] for t in order["tenders"]) == [192, 400]
    payments = client.get("/v2/payments").json()["payments"]
    card = next(p for p in payments if p["source_type"] == "CARD")
    assert card["card_details"]["card"] == {
        **card["card_details"]["card"],
        "last_4": "4444",
        "card_brand": "MASTERCARD",
    }
    assert {p["status"] for p in payments} == {"COMPLETED"}
    assert stock(client, "S1") == {"MILK": "8", "BREAD": "4"}


def test_replaying_a_batch_changes_nothing(client: TestClient) -> None:
    set_stock(client, MILK=10, BREAD=5)
    first = send(client, SALE).json()
    again = send(client, SALE).json()
    assert again["existing"] == 1
    assert again["results"][0]["order_id"] == first["results"][0]["order_id"]
    assert len(client.get("/v2/payments").json()["payments"]) == 2
    assert stock(client, "S1") == {"MILK": "8", "BREAD": "4"}


def test_receipted_return_refunds_the_original_payment_and_restocks(client: TestClient) -> None:
    set_stock(client, MILK=10, BREAD=5)
    send(client, SALE)
    ret = {
        "kind": "return",
        "txn_id": "S1-R1-0002",
        "store_id": "S1",
        "register_id": "R1",
        "completed_at": "2026-11-27T12:00:00Z",
        "lines": [
            {
                "line_no": 1,
                "sku": "MILK",
                "quantity": "1",
                "unit_price": 149,
                "tax": 12,
                "tax_rate": "0.08",
                "original_txn_id": "S1-R1-0001",
                "original_line_no": 1,
            }
        ],
        "tenders": [{"kind": "card", "amount": 161}],
    }
    result = send(client, ret).json()
    order = client.get(f"/v2/orders/{result['results'][0]['order_id']}").json()["order"]
    assert order["returns"][0]["return_line_items"][0]["quantity"] == "1"
    assert order["return_amounts"]["total_money"]["amount"] == 161
    refunds = client.get("/v2/refunds").json()["refunds"]
    card = next(
        p for p in client.get("/v2/payments").json()["payments"] if p["source_type"] == "CARD"
    )
    assert [(r["payment_id"], r["amount_money"]["amount"]) for r in refunds] == [(card["id"], 161)]
    assert stock(client, "S1") == {"MILK": "9", "BREAD": "4"}


def test_post_void_refunds_everything_left_and_restocks(client: TestClient) -> None:
    set_stock(client, MILK=10, BREAD=5)
    send(client, SALE)
    void = {
        "kind": "post_void",
        "txn_id": "S1-R1-0003",
        "store_id": "S1",
        "register_id": "R1",
        "completed_at": "2026-11-27T10:20:00Z",
        "voided_txn_id": "S1-R1-0001",
    }
    assert send(client, void).status_code == 200
    refunds = client.get("/v2/refunds").json()["refunds"]
    assert sum(r["amount_money"]["amount"] for r in refunds) == 592
    assert stock(client, "S1") == {"MILK": "10", "BREAD": "5"}
    original = client.post("/v2/orders/search", json={"location_ids": ["S1"]}).json()["orders"]
    voided = [o for o in original if o.get("metadata", {}).get("post_voided_by") == "S1-R1-0003"]
    assert len(voided) == 1


def test_cancel_records_a_canceled_order_without_money_or_stock(client: TestClient) -> None:
    set_stock(client, MILK=10)
    cancel = {**SALE, "kind": "cancel", "txn_id": "S1-R1-0009", "tenders": []}
    send(client, cancel)
    order = client.post("/v2/orders/search", json={"location_ids": ["S1"]}).json()["orders"][0]
    assert order["state"] == "CANCELED"
    assert client.get("/v2/payments").json()["payments"] == []
    assert stock(client, "S1")["MILK"] == "10"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tenders": [{"kind": "card", "amount": 1}]}, "transactions[1].tenders"),
        ({"kind": "post_void", "voided_txn_id": "unknown"}, "transactions[1].voided_txn_id"),
        ({"completed_at": "2026-11-27T10:15:00"}, "transactions[1].completed_at"),
        ({"store_id": "bad store"}, "transactions[1].store_id"),
    ],
)
def test_bad_transaction_rejects_the_whole_batch(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    bad = {**SALE, "txn_id": "S1-R1-0100", **change}
    response = send(client, SALE, bad)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert client.get("/v2/payments").json()["payments"] == []


def test_driver_needs_the_admin_token(client: TestClient) -> None:
    response = client.post(
        "/driver/v1/transactions",
        json={"transactions": [SALE]},
        headers={"Authorization": "Basic eDp5"},
    )
    assert response.status_code == 401
    api = client.post(
        "/driver/v1/transactions",
        json={"transactions": [SALE]},
        headers={"Authorization": "Bearer pos-test-token"},
    )
    assert api.status_code == 403
