"""Customers: SearchCustomers as Square's "Search for Customer Profiles" page and its
``CustomerFilter`` reference describe it (e-mail, phone and reference id exact or fuzzy,
created_at / updated_at ranges, creation source, sort, count, cursor pages); every answer
validates against Square's ``SearchCustomersResponse`` schema."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mocks.pos.engine.timestamps import fmt
from tests.mocks.pos.support import assert_square, make_settings

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def _create_at(client: TestClient, moment: datetime, **fields: Any) -> str:
    """Create a customer with the POS clock at ``moment``; its id."""
    app: Any = client.app
    store = app.state.pos_store
    app.state.pos_store = replace(store, clock=lambda: moment)
    try:
        response = client.post("/v2/customers", json=fields)
    finally:
        app.state.pos_store = store
    assert response.status_code == 200, response.text
    return str(response.json()["customer"]["id"])


def _search(client: TestClient, body: dict[str, Any], status: int = 200) -> dict[str, Any]:
    response = client.post("/v2/customers/search", json=body)
    assert response.status_code == status, response.text
    payload: dict[str, Any] = response.json()
    if status == 200:
        assert_square("SearchCustomersResponse", payload)
    return payload


def _where(**filters: Any) -> dict[str, Any]:
    return {"query": {"filter": filters}}


def _emails(payload: dict[str, Any]) -> list[str]:
    return [c.get("email_address", "") for c in payload.get("customers", [])]


@pytest.fixture
def people(client: TestClient) -> dict[str, str]:
    """Five profiles created a minute apart."""
    rows = [
        {"given_name": "Steven", "email_address": "steven.johnson@gmail.com"},
        {"company_name": "Steven's Bakery", "email_address": "mygmail@stevensbakery.com"},
        {
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email_address": "Ada.Lovelace@Example.com",
            "phone_number": "+1-212-415-1234",
            "reference_id": "NYC_M_35_JOHNSON",
        },
        {
            "given_name": "Bob",
            "email_address": "bob@example.org",
            "phone_number": "(551) 234-1567",
            "reference_id": "NYC_27_MURRAY",
        },
        {"given_name": "Carl", "email_address": "carl@example.net", "phone_number": "+12124151200"},
    ]
    return {
        row["email_address"]: _create_at(client, T0 + timedelta(minutes=i), **row)
        for i, row in enumerate(rows)
    }


def test_exact_email_ignores_case(client: TestClient, people: dict[str, str]) -> None:
    found = _search(client, _where(email_address={"exact": "ada.lovelace@example.COM"}))
    assert _emails(found) == ["Ada.Lovelace@Example.com"]


def test_fuzzy_email_matches_every_token_anywhere(
    client: TestClient, people: dict[str, str]
) -> None:
    found = _search(client, _where(email_address={"fuzzy": "Steven gmail"}))
    assert sorted(_emails(found)) == ["mygmail@stevensbakery.com", "steven.johnson@gmail.com"]


def test_exact_phone_compares_e164_forms(client: TestClient, people: dict[str, str]) -> None:
    found = _search(client, _where(phone_number={"exact": "+1 (551) 234-1567"}))
    assert _emails(found) == ["bob@example.org"]  # stored without +: the seller's country
    assert _search(client, _where(phone_number={"exact": "+15512341568"})) == {}


def test_an_exact_phone_query_must_be_e164(client: TestClient, people: dict[str, str]) -> None:
    error = _search(client, _where(phone_number={"exact": "5512341567"}), 400)["errors"][0]
    assert error["field"] == "query.filter.phone_number.exact"
    assert "E.164" in error["detail"]
    assert "'5512341567'" in error["detail"]


def test_fuzzy_phone_matches_every_token_in_the_digits(
    client: TestClient, people: dict[str, str]
) -> None:
    found = _search(client, _where(phone_number={"fuzzy": "415 123"}))
    assert sorted(_emails(found)) == ["Ada.Lovelace@Example.com", "bob@example.org"]
    found = _search(client, _where(phone_number={"fuzzy": "415"}))
    assert len(found["customers"]) == 3


def test_fuzzy_reference_id_matches_token_parts(client: TestClient, people: dict[str, str]) -> None:
    found = _search(client, _where(reference_id={"fuzzy": "NYC M"}))
    assert sorted(_emails(found)) == ["Ada.Lovelace@Example.com", "bob@example.org"]
    exact = _search(client, _where(reference_id={"exact": "nyc_27_murray"}))
    assert _emails(exact) == ["bob@example.org"]


def test_created_at_range_is_inclusive_and_sorts_by_creation(
    client: TestClient, people: dict[str, str]
) -> None:
    body = _where(
        created_at={
            "start_at": fmt(T0 + timedelta(minutes=1)),
            "end_at": fmt(T0 + timedelta(minutes=3)),
        }
    )
    body["query"]["sort"] = {"field": "CREATED_AT", "order": "DESC"}
    found = _search(client, body)
    assert _emails(found) == [
        "bob@example.org",
        "Ada.Lovelace@Example.com",
        "mygmail@stevensbakery.com",
    ]


def test_filters_combine_with_and(client: TestClient, people: dict[str, str]) -> None:
    body = _where(
        email_address={"fuzzy": "example"},
        created_at={"end_at": fmt(T0 + timedelta(minutes=3))},
    )
    assert sorted(_emails(_search(client, body))) == ["Ada.Lovelace@Example.com", "bob@example.org"]


def test_creation_source_includes_or_excludes(client: TestClient, people: dict[str, str]) -> None:
    rule = {"values": ["THIRD_PARTY"], "rule": "EXCLUDE"}
    assert _search(client, _where(creation_source=rule)) == {}
    rule["rule"] = "INCLUDE"
    assert len(_search(client, _where(creation_source=rule))["customers"]) == 5


def test_default_order_is_by_name_and_pages_follow_the_cursor(
    client: TestClient, people: dict[str, str]
) -> None:
    seen: list[str] = []
    body: dict[str, Any] = {"limit": 2, "count": True}
    pages = 0
    while True:
        page = _search(client, body)
        pages += 1
        assert page["count"] == 5
        seen += _emails(page)
        if "cursor" not in page:
            break
        body = {**body, "cursor": page["cursor"]}
    assert pages == 3
    assert seen == [
        "Ada.Lovelace@Example.com",  # Ada Lovelace
        "bob@example.org",  # Bob
        "carl@example.net",  # Carl
        "steven.johnson@gmail.com",  # Steven
        "mygmail@stevensbakery.com",  # no name: company "Steven's Bakery"
    ]


def test_a_cursor_belongs_to_its_query(client: TestClient, people: dict[str, str]) -> None:
    first = _search(client, {"limit": 1})
    other = {"limit": 1, "cursor": first["cursor"], **_where(email_address={"fuzzy": "x"})}
    error = _search(client, other, 400)["errors"][0]
    assert error["code"] == "INVALID_CURSOR"


def test_nothing_found_is_an_empty_object(client: TestClient, people: dict[str, str]) -> None:
    assert _search(client, _where(email_address={"exact": "nobody@example.com"})) == {}


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"limit": 0}, "limit", "VALUE_TOO_LOW"),
        ({"limit": 101}, "limit", "VALUE_TOO_HIGH"),
        (_where(group_ids={"any": ["G1"]}), "query.filter.group_ids", "BAD_REQUEST"),
        (_where(segment_ids={"all": ["S1"]}), "query.filter.segment_ids", "BAD_REQUEST"),
        (
            _where(email_address={"exact": "a@b.c", "fuzzy": "a"}),
            "query.filter.email_address",
            "INVALID_VALUE",
        ),
        (
            _where(created_at={"start_at": "yesterday"}),
            "query.filter.created_at.start_at",
            "INVALID_TIME",
        ),
        (
            _where(created_at={"start_at": fmt(T0), "end_at": fmt(T0 - timedelta(days=1))}),
            "query.filter.created_at",
            "INVALID_VALUE",
        ),
        ({"query": {"sort": {"field": "NAME"}}}, "query.sort.field", "INVALID_ENUM_VALUE"),
    ],
)
def test_what_cannot_be_honoured_is_a_400_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str, code: str
) -> None:
    error = _search(client, body, 400)["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert_square("SearchCustomersResponse", {"errors": [error]})


def test_new_profiles_are_found_only_after_the_search_lag(tmp_path: Any) -> None:
    from mocks.pos.square import create_app
    from tests.mocks.pos.support import API

    settings = make_settings(tmp_path, search_lag_seconds=30)
    with TestClient(create_app(settings), headers=API) as client:
        now = datetime.now(UTC)
        _create_at(client, now - timedelta(minutes=1), given_name="Old", email_address="o@x.io")
        _create_at(client, now, given_name="New", email_address="n@x.io")
        assert _emails(_search(client, {})) == ["o@x.io"]
