"""Bad input gets a 4xx whose Square error names the field — never a 500; auth, 413."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mocks.pos.square import create_app
from tests.mocks.pos.support import ADMIN, API, location_id, make_settings

LINE = {"name": "x", "quantity": "1", "base_price_money": {"amount": 100, "currency": "USD"}}


@pytest.mark.parametrize(
    ("path", "body", "field", "code"),
    [
        ("/v2/orders", {}, "order", "MISSING_REQUIRED_PARAMETER"),
        ("/v2/orders", {"order": {"location_id": "NOPE"}}, "order.location_id", "NOT_FOUND"),
        (
            "/v2/orders",
            {"order": {"location_id": "L", "line_items": [{"quantity": 2}]}},
            "order.line_items[0].quantity",
            "EXPECTED_STRING",
        ),
        (
            "/v2/orders",
            {"order": {"location_id": "{loc}", "line_items": [{"quantity": "1"}]}},
            "order.line_items[0].base_price_money",
            "MISSING_REQUIRED_PARAMETER",
        ),
        (
            "/v2/orders",
            {"order": {"location_id": "{loc}", "line_items": [{**LINE, "quantity": "0"}]}},
            "order.line_items[0].quantity",
            "VALUE_TOO_LOW",
        ),
        (
            "/v2/orders",
            {
                "order": {
                    "location_id": "{loc}",
                    "line_items": [{**LINE, "base_price_money": {"amount": 1, "currency": "EUR"}}],
                }
            },
            "order.line_items[0].base_price_money.currency",
            "CURRENCY_MISMATCH",
        ),
        (
            "/v2/orders",
            {
                "order": {
                    "location_id": "{loc}",
                    "line_items": [{**LINE, "base_price_money": {"amount": -1, "currency": "USD"}}],
                }
            },
            "order.line_items[0].base_price_money.amount",
            "VALUE_TOO_LOW",
        ),
        (
            "/v2/orders",
            {"order": {"location_id": "{loc}", "state": "COMPLETED"}},
            "order.state",
            "INVALID_VALUE",
        ),
        (
            "/v2/orders",
            {"order": {"location_id": "{loc}", "state": "PAID"}},
            "order.state",
            "INVALID_ENUM_VALUE",
        ),
        (
            "/v2/orders",
            {
                "order": {
                    "location_id": "{loc}",
                    "line_items": [{**LINE, "applied_taxes": [{"tax_uid": "ghost"}]}],
                }
            },
            "order.line_items[0].applied_taxes",
            "INVALID_VALUE",
        ),
        (
            "/v2/orders",
            {
                "order": {
                    "location_id": "{loc}",
                    "taxes": [{"uid": "t", "percentage": "150"}],
                    "line_items": [LINE],
                }
            },
            "order.taxes[0].percentage",
            "VALUE_TOO_HIGH",
        ),
        (
            "/v2/orders/search",
            {"location_ids": ["{loc}"], "limit": "ten"},
            "limit",
            "EXPECTED_INTEGER",
        ),
        (
            "/v2/orders/search",
            {
                "location_ids": ["{loc}"],
                "query": {
                    "filter": {"date_time_filter": {"created_at": {"start_at": "yesterday"}}}
                },
            },
            "query.filter.date_time_filter.created_at.start_at",
            "INVALID_TIME",
        ),
        (
            "/v2/payments",
            {
                "source_id": "CASH",
                "idempotency_key": "k",
                "amount_money": {"amount": 5, "currency": "USD"},
            },
            "cash_details",
            "MISSING_REQUIRED_PARAMETER",
        ),
        (
            "/v2/payments",
            {"source_id": "CASH", "amount_money": {"amount": 5, "currency": "USD"}},
            "idempotency_key",
            "MISSING_REQUIRED_PARAMETER",
        ),
        (
            "/v2/refunds",
            {"idempotency_key": "k", "amount_money": {"amount": 5, "currency": "USD"}},
            "payment_id",
            "MISSING_REQUIRED_PARAMETER",
        ),
        (
            "/v2/refunds",
            {
                "idempotency_key": "k",
                "payment_id": "nope",
                "amount_money": {"amount": 5, "currency": "USD"},
            },
            "payment_id",
            "NOT_FOUND",
        ),
        (
            "/v2/webhooks/subscriptions",
            {"subscription": {"notification_url": "ftp://x", "event_types": ["order.created"]}},
            "subscription.notification_url",
            "INVALID_VALUE",
        ),
        (
            "/v2/webhooks/subscriptions",
            {"subscription": {"notification_url": "https://x", "event_types": ["order.eaten"]}},
            "subscription.event_types[0]",
            "INVALID_ENUM_VALUE",
        ),
        (
            "/v2/catalog/object",
            {"idempotency_key": "k", "object": {"type": "ITEM", "id": "NOPE"}},
            "object.id",
            "NOT_FOUND",
        ),
        (
            "/v2/catalog/object",
            {
                "idempotency_key": "k",
                "object": {
                    "type": "ITEM_VARIATION",
                    "id": "#v",
                    "item_variation_data": {"item_id": "ghost"},
                },
            },
            "object.item_variation_data.item_id",
            "INVALID_VALUE",
        ),
        ("/v2/customers", {"note": "no name"}, "given_name", "MISSING_REQUIRED_PARAMETER"),
        ("/v2/inventory/counts/batch-retrieve", {"cursor": "bogus"}, "cursor", "INVALID_CURSOR"),
        ("/v2/orders", {"order": {"location_id": "a\u0000b"}}, "body", "INVALID_VALUE"),
    ],
)
def test_bad_request_names_the_field(
    client: TestClient, path: str, body: dict[str, Any], field: str, code: str
) -> None:
    text = __import__("json").dumps(body).replace("{loc}", location_id(client))
    response = client.post(path, content=text, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code), error
    assert error["detail"]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ('"n": 1180591620717411303424', "n: integer out of range"),
        ('"deep": ' + "[" * 40 + "]" * 40, "nested more than 32 levels"),
    ],
)
def test_unknown_catalog_fields_that_json_peers_cannot_read_are_400(
    client: TestClient, extra: str, named: str
) -> None:
    text = (
        '{"idempotency_key": "k1", "object": {"type": "ITEM", "id": "#i", '
        '"item_data": {"name": "x", ' + extra + "}}}"
    )
    response = client.post(
        "/v2/catalog/object", content=text, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert error["field"] == "object.item_data"
    assert named in error["detail"]
    kept = '{"idempotency_key": "k2", "object": {"type": "ITEM", "id": "#j", '
    kept += '"item_data": {"name": "y", "n": 9007199254740992, "deep": [[[]]]}}}'
    ok = client.post(
        "/v2/catalog/object", content=kept, headers={"content-type": "application/json"}
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["catalog_object"]["item_data"]["n"] == 2**53


@pytest.mark.parametrize(
    "content", [b"", b"[]", b"null", b"{", b'"text"', '{"order": "\u00e9"}'.encode()]
)
def test_malformed_bodies_are_400(client: TestClient, content: bytes) -> None:
    response = client.post(
        "/v2/orders", content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["category"] == "INVALID_REQUEST_ERROR"
    assert response.json()["errors"][0]["field"]


def test_unknown_path_and_method_are_square_errors(client: TestClient) -> None:
    missing = client.get("/v2/teapots")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "NOT_FOUND"
    wrong = client.patch("/v2/locations")
    assert wrong.status_code == 405
    assert wrong.json()["errors"][0]["code"] == "METHOD_NOT_ALLOWED"


def test_nul_in_path_is_refused(client: TestClient) -> None:
    response = client.get("/v2/orders/a%00b")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "path"


def test_tokens(client: TestClient) -> None:
    assert client.get("/v2/locations", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/v2/locations", headers=ADMIN).status_code == 401
    assert client.get("/admin/pos/webhooks/outbox", headers=API).status_code == 403
    assert client.get("/admin/pos/webhooks/outbox", headers=ADMIN).status_code == 200


def test_body_over_the_limit_is_413(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, max_body_bytes=2048))
    with TestClient(app, headers=API) as client:
        response = client.post("/v2/customers", json={"note": "x" * 5000, "given_name": "A"})
        assert response.status_code == 413
        assert response.json()["errors"][0]["code"] == "REQUEST_ENTITY_TOO_LARGE"
        assert client.post("/v2/customers", json={"given_name": "A"}).status_code == 200
