"""Orders: idempotency keys, optimistic versions, search filters, caps and cursors."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mocks.pos.square import create_app
from tests.mocks.pos.support import ADMIN, key, location_id, make_settings


def custom_order(loc: str, amount: int = 1000, **extra: Any) -> dict[str, Any]:
    return {
        "location_id": loc,
        "line_items": [
            {
                "name": "Custom",
                "quantity": "1",
                "base_price_money": {"amount": amount, "currency": "USD"},
            }
        ],
        **extra,
    }


def test_same_idempotency_key_and_body_returns_the_original_order(client: TestClient) -> None:
    body = {"idempotency_key": "order-1", "order": custom_order(location_id(client))}
    first = client.post("/v2/orders", json=body)
    second = client.post("/v2/orders", json=body)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    search = client.post("/v2/orders/search", json={"location_ids": [location_id(client)]})
    assert len(search.json()["orders"]) == 1


def test_same_idempotency_key_with_other_body_is_rejected(client: TestClient) -> None:
    loc = location_id(client)
    client.post("/v2/orders", json={"idempotency_key": "order-2", "order": custom_order(loc)})
    again = client.post(
        "/v2/orders", json={"idempotency_key": "order-2", "order": custom_order(loc, 999)}
    )
    assert again.status_code == 400
    error = again.json()["errors"][0]
    assert (error["code"], error["field"]) == ("IDEMPOTENCY_KEY_REUSED", "idempotency_key")


def test_update_with_current_version_bumps_it_and_stale_version_is_rejected(
    client: TestClient,
) -> None:
    order = client.post("/v2/orders", json={"order": custom_order(location_id(client))}).json()[
        "order"
    ]
    assert order["version"] == 1
    path = f"/v2/orders/{order['id']}"
    ok = client.put(path, json={"order": {"version": 1, "reference_id": "first"}})
    assert ok.status_code == 200
    assert ok.json()["order"]["version"] == 2
    assert ok.json()["order"]["reference_id"] == "first"
    stale = client.put(path, json={"order": {"version": 1, "reference_id": "second"}})
    assert stale.status_code == 400
    assert stale.json()["errors"][0]["code"] == "VERSION_MISMATCH"
    assert stale.json()["errors"][0]["field"] == "order.version"
    assert client.get(path).json()["order"]["reference_id"] == "first"


def test_update_without_version_names_the_field(client: TestClient) -> None:
    order = client.post("/v2/orders", json={"order": custom_order(location_id(client))}).json()
    response = client.put(
        f"/v2/orders/{order['order']['id']}", json={"order": {"ticket_name": "x"}}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "MISSING_REQUIRED_PARAMETER"
    assert response.json()["errors"][0]["field"] == "order.version"


def test_completed_order_cannot_be_updated(client: TestClient) -> None:
    order = client.post("/v2/orders", json={"order": custom_order(location_id(client))}).json()[
        "order"
    ]
    paid = client.post(
        "/v2/payments",
        json={
            "idempotency_key": key(),
            "source_id": "cnon:card-nonce-ok",
            "amount_money": order["total_money"],
            "order_id": order["id"],
        },
    )
    assert paid.status_code == 200
    current = client.get(f"/v2/orders/{order['id']}").json()["order"]
    assert current["state"] == "COMPLETED"
    assert current["net_amount_due_money"]["amount"] == 0
    response = client.put(
        f"/v2/orders/{order['id']}",
        json={"order": {"version": current["version"], "state": "OPEN"}},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "order.state"


def test_unpaid_order_cannot_be_completed_but_can_be_canceled(client: TestClient) -> None:
    order = client.post("/v2/orders", json={"order": custom_order(location_id(client))}).json()[
        "order"
    ]
    path = f"/v2/orders/{order['id']}"
    complete = client.put(path, json={"order": {"version": 1, "state": "COMPLETED"}})
    assert complete.status_code == 400
    assert "still has 1000 due" in complete.json()["errors"][0]["detail"]
    cancel = client.put(path, json={"order": {"version": 1, "state": "CANCELED"}})
    assert cancel.json()["order"]["state"] == "CANCELED"
    assert cancel.json()["order"]["closed_at"]


def test_totals_follow_squares_arithmetic(client: TestClient) -> None:
    body = custom_order(
        location_id(client),
        amount=333,
        taxes=[{"uid": "t", "name": "T", "percentage": "8.25", "scope": "ORDER"}],
        discounts=[
            {
                "uid": "d",
                "name": "D",
                "type": "FIXED_AMOUNT",
                "scope": "ORDER",
                "amount_money": {"amount": 50, "currency": "USD"},
            }
        ],
    )
    body["line_items"][0]["quantity"] = "3"
    order = client.post("/v2/orders", json={"order": body}).json()["order"]
    line = order["line_items"][0]
    assert line["gross_sales_money"]["amount"] == 999
    assert line["total_discount_money"]["amount"] == 50
    assert line["total_tax_money"]["amount"] == round((999 - 50) * 0.0825)
    assert order["total_money"]["amount"] == 999 - 50 + line["total_tax_money"]["amount"]


def _many_orders(client: TestClient, count: int) -> str:
    loc = location_id(client)
    for i in range(count):
        assert (
            client.post("/v2/orders", json={"order": custom_order(loc, 100 + i)}).status_code == 200
        )
    return loc


def test_search_pages_through_every_order_once_with_cursors(client: TestClient) -> None:
    loc = _many_orders(client, 7)
    query = {
        "location_ids": [loc],
        "limit": 3,
        "query": {"sort": {"sort_field": "CREATED_AT", "sort_order": "ASC"}},
    }
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        body = {**query, **({"cursor": cursor} if cursor else {})}
        page = client.post("/v2/orders/search", json=body).json()
        pages += 1
        assert len(page["orders"]) <= 3
        seen += [o["id"] for o in page["orders"]]
        cursor = page.get("cursor")
        if cursor is None:
            break
    assert pages == 3
    assert len(seen) == len(set(seen)) == 7
    created = [client.get(f"/v2/orders/{i}").json()["order"]["created_at"] for i in seen]
    assert created == sorted(created)


def test_search_caps_the_page_size(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, search_page_cap=4))
    with TestClient(app, headers={"Authorization": "Bearer pos-test-token"}) as client:
        loc = _many_orders(client, 6)
        page = client.post("/v2/orders/search", json={"location_ids": [loc], "limit": 500})
        assert len(page.json()["orders"]) == 4
        assert "cursor" in page.json()


def test_cursor_of_another_query_is_refused(client: TestClient) -> None:
    loc = _many_orders(client, 3)
    first = client.post("/v2/orders/search", json={"location_ids": [loc], "limit": 1}).json()
    other = {
        "location_ids": [loc],
        "limit": 1,
        "cursor": first["cursor"],
        "query": {"filter": {"state_filter": {"states": ["OPEN"]}}},
    }
    response = client.post("/v2/orders/search", json=other)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "INVALID_CURSOR"
    garbage = client.post("/v2/orders/search", json={"location_ids": [loc], "cursor": "abc"})
    assert garbage.json()["errors"][0]["code"] == "INVALID_CURSOR"


def test_cursor_expires(client: TestClient) -> None:
    loc = _many_orders(client, 2)
    first = client.post("/v2/orders/search", json={"location_ids": [loc], "limit": 1}).json()
    store = client.app.state.pos_store  # type: ignore[attr-defined]
    later = store.clock() + timedelta(seconds=store.settings.cursor_ttl_seconds + 1)
    client.app.state.pos_store = replace(store, clock=lambda: later)  # type: ignore[attr-defined]
    response = client.post(
        "/v2/orders/search", json={"location_ids": [loc], "limit": 1, "cursor": first["cursor"]}
    )
    assert response.status_code == 400
    assert "expired" in response.json()["errors"][0]["detail"]


def test_search_filters_by_state_and_updated_window(client: TestClient) -> None:
    loc = _many_orders(client, 3)
    orders = client.post("/v2/orders/search", json={"location_ids": [loc]}).json()["orders"]
    target = orders[0]
    client.put(f"/v2/orders/{target['id']}", json={"order": {"version": 1, "state": "CANCELED"}})
    canceled = client.post(
        "/v2/orders/search",
        json={
            "location_ids": [loc],
            "query": {"filter": {"state_filter": {"states": ["CANCELED"]}}},
        },
    ).json()["orders"]
    assert [o["id"] for o in canceled] == [target["id"]]
    updated = client.get(f"/v2/orders/{target['id']}").json()["order"]["updated_at"]
    window = {
        "location_ids": [loc],
        "query": {
            "filter": {"date_time_filter": {"updated_at": {"start_at": updated}}},
            "sort": {"sort_field": "UPDATED_AT"},
        },
    }
    found = client.post("/v2/orders/search", json=window).json()["orders"]
    assert target["id"] in [o["id"] for o in found]
    assert all(o["updated_at"] >= updated for o in found)


def test_time_filter_needs_matching_sort_field(client: TestClient) -> None:
    body = {
        "location_ids": [location_id(client)],
        "query": {
            "filter": {"date_time_filter": {"updated_at": {"start_at": "2026-01-01T00:00:00Z"}}}
        },
    }
    response = client.post("/v2/orders/search", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "query.sort.sort_field"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"location_ids": []}, "location_ids"),
        ({"location_ids": ["NOPE"]}, "location_ids[0]"),
        ({"location_ids": ["X"] * 11}, "location_ids"),
    ],
)
def test_search_rejects_bad_locations(client: TestClient, body: dict[str, Any], field: str) -> None:
    response = client.post("/v2/orders/search", json=body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_batch_retrieve_returns_existing_orders_only(client: TestClient) -> None:
    loc = _many_orders(client, 2)
    ids = [
        o["id"]
        for o in client.post("/v2/orders/search", json={"location_ids": [loc]}).json()["orders"]
    ]
    found = client.post("/v2/orders/batch-retrieve", json={"order_ids": [*ids, "missing"]})
    assert sorted(o["id"] for o in found.json()["orders"]) == sorted(ids)


def test_search_is_eventually_consistent_when_configured(tmp_path: Path) -> None:
    app = create_app(make_settings(tmp_path, search_lag_seconds=30))
    with TestClient(app, headers={"Authorization": "Bearer pos-test-token"}) as client:
        loc = location_id(client)
        order = client.post("/v2/orders", json={"order": custom_order(loc)}).json()["order"]
        assert client.get(f"/v2/orders/{order['id']}").status_code == 200
        assert client.post("/v2/orders/search", json={"location_ids": [loc]}).json() == {
            "orders": []
        }
        store = client.app.state.pos_store  # type: ignore[attr-defined]
        later = store.clock() + timedelta(seconds=31)
        client.app.state.pos_store = replace(store, clock=lambda: later)  # type: ignore[attr-defined]
        found = client.post("/v2/orders/search", json={"location_ids": [loc]}).json()["orders"]
        assert [o["id"] for o in found] == [order["id"]]


def test_journal_records_idempotency_key_and_document_id(client: TestClient) -> None:
    body = {"idempotency_key": "journal-1", "order": custom_order(location_id(client))}
    order = client.post("/v2/orders", json=body).json()["order"]
    client.app.state.mock.journal.flush()  # type: ignore[attr-defined]
    rows = client.get("/admin/journal", params={"path_prefix": "/v2/orders"}, headers=ADMIN).json()[
        "rows"
    ]
    assert [(r["idempotency_key"], r["document_id"]) for r in rows] == [("journal-1", order["id"])]
