"""The dialect's responses and webhook bodies validate against Square's OpenAPI schemas."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mocks.pos.engine.background import settle_due
from mocks.pos.engine.tables import webhook_events
from mocks.pos.engine.timestamps import fmt
from tests.mocks.pos.support import assert_square, key, location_id, seed_item


@pytest.fixture
def sale(client: TestClient) -> dict[str, str]:
    """A location, a variation with stock, a paid order and a refund."""
    client.post(
        "/v2/webhooks/subscriptions",
        json={
            "subscription": {
                "name": "all",
                "notification_url": "http://127.0.0.1:9/hook",
                "event_types": [
                    "order.created",
                    "order.updated",
                    "payment.updated",
                    "refund.updated",
                    "inventory.count.updated",
                    "catalog.version.updated",
                    "customer.created",
                ],
            }
        },
    )
    loc = location_id(client)
    variation = seed_item(client, "SKU-1", price=199)
    count = {
        "type": "PHYSICAL_COUNT",
        "physical_count": {
            "catalog_object_id": variation,
            "location_id": loc,
            "state": "IN_STOCK",
            "quantity": "40",
            "occurred_at": fmt(datetime.now(UTC)),
        },
    }
    assert (
        client.post(
            "/v2/inventory/changes/batch-create",
            json={"idempotency_key": key(), "changes": [count]},
        ).status_code
        == 200
    )
    order = client.post(
        "/v2/orders",
        json={
            "idempotency_key": key(),
            "order": {
                "location_id": loc,
                "line_items": [{"catalog_object_id": variation, "quantity": "3"}],
                "taxes": [{"uid": "vat", "name": "VAT", "percentage": "7.5", "scope": "ORDER"}],
            },
        },
    ).json()["order"]
    payment = client.post(
        "/v2/payments",
        json={
            "idempotency_key": key(),
            "source_id": "cnon:card-nonce-ok",
            "amount_money": order["total_money"],
            "order_id": order["id"],
        },
    ).json()["payment"]
    refund = client.post(
        "/v2/refunds",
        json={
            "idempotency_key": key(),
            "payment_id": payment["id"],
            "amount_money": {"amount": 100, "currency": "USD"},
        },
    ).json()["refund"]
    client.post("/v2/customers", json={"given_name": "Ada", "family_name": "Lovelace"})
    return {
        "location": loc,
        "variation": variation,
        "order": order["id"],
        "payment": payment["id"],
        "refund": refund["id"],
    }


def test_read_responses_match_square_schemas(client: TestClient, sale: dict[str, str]) -> None:
    checks = [
        ("ListLocationsResponse", client.get("/v2/locations")),
        ("RetrieveLocationResponse", client.get(f"/v2/locations/{sale['location']}")),
        ("RetrieveOrderResponse", client.get(f"/v2/orders/{sale['order']}")),
        (
            "BatchRetrieveOrdersResponse",
            client.post("/v2/orders/batch-retrieve", json={"order_ids": [sale["order"]]}),
        ),
        (
            "SearchOrdersResponse",
            client.post("/v2/orders/search", json={"location_ids": [sale["location"]]}),
        ),
        ("GetPaymentResponse", client.get(f"/v2/payments/{sale['payment']}")),
        ("ListPaymentsResponse", client.get("/v2/payments")),
        ("GetPaymentRefundResponse", client.get(f"/v2/refunds/{sale['refund']}")),
        ("ListPaymentRefundsResponse", client.get("/v2/refunds")),
        (
            "BatchRetrieveInventoryCountsResponse",
            client.post("/v2/inventory/counts/batch-retrieve", json={}),
        ),
        ("ListCatalogResponse", client.get("/v2/catalog/list")),
        ("SearchCatalogObjectsResponse", client.post("/v2/catalog/search", json={})),
        ("RetrieveCatalogObjectResponse", client.get(f"/v2/catalog/object/{sale['variation']}")),
        ("ListCustomersResponse", client.get("/v2/customers")),
        ("ListWebhookSubscriptionsResponse", client.get("/v2/webhooks/subscriptions")),
    ]
    for schema, response in checks:
        assert response.status_code == 200, (schema, response.text)
        assert_square(schema, response.json())


def test_write_responses_match_square_schemas(client: TestClient, sale: dict[str, str]) -> None:
    order = client.post(
        "/v2/orders",
        json={
            "order": {
                "location_id": sale["location"],
                "line_items": [
                    {
                        "name": "Custom",
                        "quantity": "1.5",
                        "base_price_money": {"amount": 1000, "currency": "USD"},
                        "applied_discounts": [{"discount_uid": "d"}],
                    }
                ],
                "discounts": [
                    {"uid": "d", "name": "10%", "type": "FIXED_PERCENTAGE", "percentage": "10"}
                ],
            }
        },
    )
    assert_square("CreateOrderResponse", order.json())
    current = order.json()["order"]
    updated = client.put(
        f"/v2/orders/{current['id']}",
        json={"order": {"version": current["version"], "reference_id": "ref-1"}},
    )
    assert_square("UpdateOrderResponse", updated.json())
    payment = client.post(
        "/v2/payments",
        json={
            "idempotency_key": key(),
            "source_id": "CASH",
            "amount_money": {"amount": 500, "currency": "USD"},
            "cash_details": {"buyer_supplied_money": {"amount": 1000, "currency": "USD"}},
        },
    )
    assert_square("CreatePaymentResponse", payment.json())
    refund = client.post(
        "/v2/refunds",
        json={
            "idempotency_key": key(),
            "payment_id": payment.json()["payment"]["id"],
            "amount_money": {"amount": 200, "currency": "USD"},
        },
    )
    assert_square("RefundPaymentResponse", refund.json())
    change = client.post(
        "/v2/inventory/changes/batch-create",
        json={
            "idempotency_key": key(),
            "changes": [
                {
                    "type": "ADJUSTMENT",
                    "adjustment": {
                        "catalog_object_id": sale["variation"],
                        "location_id": sale["location"],
                        "from_state": "IN_STOCK",
                        "to_state": "WASTE",
                        "quantity": "1",
                        "occurred_at": current["created_at"],
                    },
                }
            ],
        },
    )
    assert change.status_code == 200, change.text
    assert_square("BatchChangeInventoryResponse", change.json())
    customer = client.post("/v2/customers", json={"email_address": "a@example.com"})
    assert_square("CreateCustomerResponse", customer.json())
    subscription = client.post(
        "/v2/webhooks/subscriptions",
        json={
            "subscription": {
                "notification_url": "https://example.com/hook",
                "event_types": ["order.created"],
            }
        },
    )
    assert_square("CreateWebhookSubscriptionResponse", subscription.json())
    deleted = client.delete(
        f"/v2/webhooks/subscriptions/{subscription.json()['subscription']['id']}"
    )
    assert_square("DeleteWebhookSubscriptionResponse", deleted.json())


def test_error_bodies_match_square_schema(client: TestClient) -> None:
    responses = [
        client.get("/v2/orders/nope"),
        client.post("/v2/orders", json={"order": {}}),
        client.post("/v2/orders", content=b"{not json"),
        client.get("/v2/locations", headers={"Authorization": "Bearer wrong"}),
        client.delete("/v2/locations"),
    ]
    for response in responses:
        assert 400 <= response.status_code < 500
        assert_square("ListLocationsResponse", response.json())
        for error in response.json()["errors"]:
            assert_square("Error", error)


def test_webhook_event_bodies_match_square_schemas(
    client: TestClient, sale: dict[str, str]
) -> None:
    schemas = {
        "order.created": "OrderCreatedEvent",
        "order.updated": "OrderUpdatedEvent",
        "payment.updated": "PaymentUpdatedEvent",
        "refund.updated": "RefundUpdatedEvent",
        "inventory.count.updated": "InventoryCountUpdatedEvent",
        "catalog.version.updated": "CatalogVersionUpdatedEvent",
        "customer.created": "CustomerCreatedEvent",
    }
    store = client.app.state.pos_store  # type: ignore[attr-defined]
    later = replace(store, clock=lambda: datetime.now(UTC) + timedelta(minutes=5))
    assert settle_due(later) >= 1
    with store.db.connect() as conn:
        events = conn.execute(select(webhook_events.c.type, webhook_events.c.body)).all()
    seen = {event_type for event_type, _ in events}
    assert set(schemas) <= seen
    for event_type, body in events:
        if event_type in schemas:
            assert_square(schemas[event_type], json.loads(body))
