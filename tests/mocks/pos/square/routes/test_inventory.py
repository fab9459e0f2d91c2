"""Inventory: stock = last physical count + later adjustments, sequenced by occurred_at."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mocks.pos.engine.timestamps import fmt
from mocks.pos.square import create_app
from tests.mocks.pos.support import API, assert_square, key, location_id, make_settings, seed_item

NOW = datetime.now(UTC)


def at(minutes_ago: float) -> str:
    return fmt(NOW - timedelta(minutes=minutes_ago))


def count(variation: str, loc: str, quantity: str, occurred_at: str) -> dict[str, Any]:
    return {
        "type": "PHYSICAL_COUNT",
        "physical_count": {
            "catalog_object_id": variation,
            "location_id": loc,
            "state": "IN_STOCK",
            "quantity": quantity,
            "occurred_at": occurred_at,
        },
    }


def adjust(
    variation: str, loc: str, quantity: str, occurred_at: str, to_state: str = "SOLD"
) -> dict[str, Any]:
    return {
        "type": "ADJUSTMENT",
        "adjustment": {
            "catalog_object_id": variation,
            "location_id": loc,
            "from_state": "IN_STOCK",
            "to_state": to_state,
            "quantity": quantity,
            "occurred_at": occurred_at,
        },
    }


def change(client: TestClient, *changes: dict[str, Any]) -> Any:
    return client.post(
        "/v2/inventory/changes/batch-create",
        json={"idempotency_key": key("inv"), "changes": list(changes)},
    )


def in_stock(client: TestClient, variation: str) -> str:
    counts = client.post(
        "/v2/inventory/counts/batch-retrieve", json={"catalog_object_ids": [variation]}
    ).json()["counts"]
    return str(counts[0]["quantity"])


@pytest.fixture
def item(client: TestClient) -> tuple[str, str]:
    return seed_item(client, "INV-1"), location_id(client)


def test_stock_is_last_count_plus_later_adjustments(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, loc = item
    assert change(client, count(variation, loc, "20", at(60))).status_code == 200
    assert change(client, adjust(variation, loc, "3", at(50))).status_code == 200
    assert in_stock(client, variation) == "17"
    assert change(client, adjust(variation, loc, "1.25", at(40), "WASTE")).status_code == 200
    assert in_stock(client, variation) == "15.75"


def test_late_adjustment_before_a_count_does_not_change_stock(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, loc = item
    change(client, count(variation, loc, "10", at(30)))
    response = change(client, adjust(variation, loc, "4", at(45)))
    assert response.status_code == 200
    assert in_stock(client, variation) == "10"


def test_late_count_resets_history_after_it(client: TestClient, item: tuple[str, str]) -> None:
    variation, loc = item
    change(client, count(variation, loc, "10", at(60)))
    change(client, adjust(variation, loc, "2", at(20)))
    change(client, count(variation, loc, "50", at(40)))
    assert in_stock(client, variation) == "48"


def test_order_of_arrival_does_not_matter(client: TestClient, tmp_path: Any) -> None:
    variation, loc = seed_item(client, "INV-2"), location_id(client)
    events = [
        count(variation, loc, "30", at(90)),
        adjust(variation, loc, "5", at(80)),
        count(variation, loc, "12", at(70)),
        adjust(variation, loc, "2", at(60)),
        adjust(variation, loc, "1", at(50), "WASTE"),
    ]
    for event in reversed(events):
        assert change(client, event).status_code == 200
    assert in_stock(client, variation) == "9"


def test_completing_an_order_decrements_stock(client: TestClient, item: tuple[str, str]) -> None:
    variation, loc = item
    change(client, count(variation, loc, "8", at(5)))
    order = client.post(
        "/v2/orders",
        json={
            "order": {
                "location_id": loc,
                "line_items": [{"catalog_object_id": variation, "quantity": "3"}],
            }
        },
    ).json()["order"]
    client.post(
        "/v2/payments",
        json={
            "idempotency_key": key(),
            "source_id": "cnon:card-nonce-ok",
            "amount_money": order["total_money"],
            "order_id": order["id"],
        },
    )
    assert in_stock(client, variation) == "5"


@pytest.mark.parametrize(
    ("mutate", "field", "code"),
    [
        (
            lambda c: c["physical_count"].update(occurred_at=fmt(NOW + timedelta(hours=1))),
            "changes[0].physical_count.occurred_at",
            "INVALID_TIME",
        ),
        (
            lambda c: c["physical_count"].update(occurred_at=at(25 * 60)),
            "changes[0].physical_count.occurred_at",
            "INVALID_TIME",
        ),
        (
            lambda c: c["physical_count"].update(quantity="-1"),
            "changes[0].physical_count.quantity",
            "VALUE_TOO_LOW",
        ),
        (
            lambda c: c["physical_count"].update(quantity="1.123456"),
            "changes[0].physical_count.quantity",
            "INVALID_VALUE",
        ),
        (
            lambda c: c["physical_count"].update(quantity=3),
            "changes[0].physical_count.quantity",
            "EXPECTED_STRING",
        ),
        (
            lambda c: c["physical_count"].pop("state"),
            "changes[0].physical_count.state",
            "MISSING_REQUIRED_PARAMETER",
        ),
        (
            lambda c: c["physical_count"].update(catalog_object_id="NOPE"),
            "changes[0].physical_count.catalog_object_id",
            "NOT_FOUND",
        ),
        (
            lambda c: c["physical_count"].update(state="SHELF"),
            "changes[0].physical_count.state",
            "INVALID_ENUM_VALUE",
        ),
    ],
)
def test_bad_changes_are_rejected_naming_the_field(
    client: TestClient, item: tuple[str, str], mutate: Any, field: str, code: str
) -> None:
    variation, loc = item
    body = count(variation, loc, "5", at(1))
    mutate(body)
    response = change(client, body)
    assert response.status_code == 400, response.text
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)


def test_a_day_old_adjustment_is_accepted(client: TestClient, item: tuple[str, str]) -> None:
    variation, loc = item
    assert change(client, adjust(variation, loc, "1", at(30 * 60))).status_code == 200


def test_at_most_100_changes_per_call(client: TestClient, item: tuple[str, str]) -> None:
    variation, loc = item
    ok = change(client, *[adjust(variation, loc, "1", at(i / 10)) for i in range(100)])
    assert ok.status_code == 200
    too_many = change(client, *[adjust(variation, loc, "1", at(i / 10)) for i in range(101)])
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["code"] == "ARRAY_LENGTH_TOO_LONG"
    assert in_stock(client, variation) == "-100"


def test_idempotency_key_is_required_and_replays(client: TestClient, item: tuple[str, str]) -> None:
    variation, loc = item
    missing = client.post(
        "/v2/inventory/changes/batch-create", json={"changes": [adjust(variation, loc, "1", at(1))]}
    )
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "idempotency_key"
    body = {"idempotency_key": "same", "changes": [adjust(variation, loc, "2", at(1))]}
    first = client.post("/v2/inventory/changes/batch-create", json=body)
    second = client.post("/v2/inventory/changes/batch-create", json=body)
    assert first.json() == second.json()
    assert in_stock(client, variation) == "-2"


def test_counts_paginate_with_cursor(client: TestClient) -> None:
    loc = location_id(client)
    variations = [seed_item(client, f"PAGE-{i}") for i in range(5)]
    change(client, *[count(v, loc, "1", at(1)) for v in variations])
    seen: list[str] = []
    cursor = None
    while True:
        body: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = client.post("/v2/inventory/counts/batch-retrieve", json=body).json()
        assert len(page["counts"]) <= 2
        seen += [c["catalog_object_id"] for c in page["counts"]]
        cursor = page.get("cursor")
        if cursor is None:
            break
    assert sorted(seen) == sorted(variations)


def test_changes_can_be_read_back_with_ids_filters_and_cursor(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, loc = item
    change(client, count(variation, loc, "10", at(30)))
    change(
        client, adjust(variation, loc, "1", at(20), "WASTE"), adjust(variation, loc, "2", at(10))
    )
    everything: list[dict[str, Any]] = []
    cursor = None
    while True:
        body: dict[str, Any] = {"catalog_object_ids": [variation], "limit": 2}
        if cursor:
            body["cursor"] = cursor
        page = client.post("/v2/inventory/changes/batch-retrieve", json=body)
        assert page.status_code == 200, page.text
        assert_square("BatchRetrieveInventoryChangesResponse", page.json())
        everything += page.json()["changes"]
        cursor = page.json().get("cursor")
        if cursor is None:
            break
    assert [c["type"] for c in everything] == ["PHYSICAL_COUNT", "ADJUSTMENT", "ADJUSTMENT"]
    ids = [c.get("physical_count", c.get("adjustment"))["id"] for c in everything]
    assert len(set(ids)) == 3
    waste = client.post(
        "/v2/inventory/changes/batch-retrieve", json={"types": ["ADJUSTMENT"], "states": ["WASTE"]}
    ).json()["changes"]
    assert [c["adjustment"]["to_state"] for c in waste] == ["WASTE"]


def _counts(client: TestClient, variation: str, status: int = 200, **params: str) -> Any:
    response = client.get(f"/v2/inventory/{variation}", params=params)
    assert response.status_code == status, response.text
    if status == 200:
        assert_square("RetrieveInventoryCountResponse", response.json())
    return response.json()


def _second_location(client: TestClient) -> str:
    created = client.post("/v2/locations", json={"location": {"name": "Store 2"}})
    assert created.status_code == 200, created.text
    return str(created.json()["location"]["id"])


def test_retrieve_inventory_count_gives_every_counted_state_of_one_item(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, loc = item
    other = seed_item(client, "INV-OTHER")
    change(client, count(variation, loc, "10", at(30)), count(other, loc, "99", at(30)))
    change(
        client, adjust(variation, loc, "1", at(20), "WASTE"), adjust(variation, loc, "2", at(10))
    )
    counts = _counts(client, variation)["counts"]
    by_state = {c["state"]: c["quantity"] for c in counts}
    assert by_state == {"IN_STOCK": "7", "WASTE": "1"}  # SOLD is not a counted state
    assert {(c["catalog_object_id"], c["location_id"]) for c in counts} == {(variation, loc)}


def test_retrieve_inventory_count_at_the_locations_asked(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, first = item
    second = _second_location(client)
    change(client, count(variation, first, "5", at(30)), count(variation, second, "8", at(30)))
    both = _counts(client, variation, location_ids=f"{first}, {second}")["counts"]
    assert sorted((c["location_id"], c["quantity"]) for c in both) == sorted(
        [(first, "5"), (second, "8")]
    )
    only = _counts(client, variation, location_ids=second)["counts"]
    assert [(c["location_id"], c["quantity"]) for c in only] == [(second, "8")]
    assert len(_counts(client, variation)["counts"]) == 2  # no location_ids: every location


def test_retrieve_inventory_count_refuses_unknown_objects_and_locations(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, loc = item
    missing = _counts(client, "NO-SUCH-ITEM", 404)["errors"][0]
    assert (missing["code"], missing["field"]) == ("NOT_FOUND", "catalog_object_id")
    assert "'NO-SUCH-ITEM'" in missing["detail"]
    unknown = _counts(client, variation, 400, location_ids=f"{loc},L-NOPE")["errors"][0]
    assert (unknown["code"], unknown["field"]) == ("NOT_FOUND", "location_ids[1]")


def test_retrieve_inventory_count_of_an_item_never_counted_is_empty(
    client: TestClient, item: tuple[str, str]
) -> None:
    variation, _loc = item
    assert _counts(client, variation) == {}


def test_retrieve_inventory_count_pages_with_a_cursor_bound_to_its_query(tmp_path: Any) -> None:
    settings = make_settings(tmp_path, inventory_page_cap=1)
    with TestClient(create_app(settings), headers=API) as client:
        variation, loc = seed_item(client, "INV-P"), location_id(client)
        change(client, count(variation, loc, "10", at(30)))
        change(client, adjust(variation, loc, "1", at(20), "WASTE"))
        first = _counts(client, variation)
        assert len(first["counts"]) == 1
        assert first["cursor"]
        second = _counts(client, variation, cursor=first["cursor"])
        assert "cursor" not in second
        states = {first["counts"][0]["state"], second["counts"][0]["state"]}
        assert states == {"IN_STOCK", "WASTE"}
        other = _counts(client, variation, 400, location_ids=loc, cursor=first["cursor"])
        assert other["errors"][0]["code"] == "INVALID_CURSOR"
