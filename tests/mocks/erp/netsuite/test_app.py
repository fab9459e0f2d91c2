"""The NetSuite dialect on a real loopback server, checked against Oracle's SuiteTalk REST
documentation: create → 204 + Location, external ids unique per record type, upsert by
``eid:``, SuiteQL paging, OAuth 1.0a failures, the account concurrency limit, async jobs
and the idempotency key."""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA1, Client

from tests.mocks.erp.netsuite.support import (
    ACCOUNT,
    CREDENTIAL,
    RECORD,
    SUITEQL,
    OAuth1,
    cash_sale,
    on_hand,
    serve_netsuite,
    signed,
)

TRANSIENT = {"Prefer": "transient"}


@pytest.fixture
def base(tmp_path: Path) -> Iterator[str]:
    with serve_netsuite(tmp_path) as url:
        yield url


@pytest.fixture
def ns(base: str) -> Iterator[httpx.Client]:
    with signed(base) as client:
        yield client


def _error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    detail = body["o:errorDetails"][0]
    assert body["status"] == response.status_code
    assert body["type"].startswith("https://www.rfc-editor.org/rfc/")
    return response.status_code, body["title"], detail["o:errorCode"]


def test_create_answers_204_with_location_and_posts_the_sale(ns: httpx.Client) -> None:
    created = ns.post(f"{RECORD}/cashSale", json=cash_sale("POS-1", ("SKU-1", "S001", 3)))
    assert created.status_code == 204
    assert created.content == b""
    location = created.headers["Location"]
    assert location.startswith(f"{ns.base_url}{RECORD}/cashSale/")
    sale = ns.get(location, params={"expandSubResources": "true"}).json()
    assert sale["externalId"] == "POS-1"
    assert sale["total"] == pytest.approx(3.87)
    [line] = sale["item"]["items"]
    assert (line["quantity"], line["rate"], line["location"]["refName"]) == (3.0, 1.29, "S001")
    assert "items" not in ns.get(location).json()["item"]
    assert on_hand(ns, "SKU-1", "S001") == 97.0
    memo = {**cash_sale("RET-1", ("SKU-1", "S001", 1)), "createdFrom": {"externalId": "POS-1"}}
    assert ns.post(f"{RECORD}/creditMemo", json=memo).status_code == 204
    assert on_hand(ns, "SKU-1", "S001") == 98.0


def test_external_id_is_unique_per_record_type(ns: httpx.Client) -> None:
    body = cash_sale("POS-7", ("SKU-2", "S001", 1))
    assert ns.post(f"{RECORD}/cashSale", json=body).status_code == 204
    again = ns.post(f"{RECORD}/cashSale", json=body)
    assert _error(again) == (400, "Bad Request", "DUP_RCRD")
    assert ns.post(f"{RECORD}/creditMemo", json=body).status_code == 204
    assert on_hand(ns, "SKU-2", "S001") == 50.0


def test_upsert_by_external_id_is_idempotent(ns: httpx.Client) -> None:
    body = cash_sale("", ("SKU-1", "S002", 2))
    del body["externalId"]
    first = ns.put(f"{RECORD}/cashSale/eid:POS-9", json=body)
    second = ns.put(f"{RECORD}/cashSale/eid:POS-9", json=body)
    assert first.status_code == second.status_code == 204
    assert first.headers["Location"] == second.headers["Location"]
    assert on_hand(ns, "SKU-1", "S002") == 8.0
    assert ns.get(f"{RECORD}/cashSale/eid:POS-9").json()["externalId"] == "POS-9"
    changed = ns.put(f"{RECORD}/cashSale/eid:POS-9", json=cash_sale("POS-9", ("SKU-1", "S002", 5)))
    assert _error(changed)[2] == "USER_ERROR"
    made = ns.put(f"{RECORD}/customer/eid:C-42", json={"companyName": "Ada"})
    updated = ns.put(f"{RECORD}/customer/eid:C-42", json={"companyName": "Ada L."})
    assert made.headers["Location"] == updated.headers["Location"]
    customer = ns.get(f"{RECORD}/customer/eid:C-42").json()
    assert (customer["entityId"], customer["companyName"]) == ("C-42", "Ada L.")
    assert ns.patch(made.headers["Location"], json={"email": "a@x.test"}).status_code == 204
    assert ns.get(made.headers["Location"]).json()["email"] == "a@x.test"


def test_bad_input_is_a_400_naming_the_field(ns: httpx.Client) -> None:
    bad_qty = cash_sale("POS-2", ("SKU-1", "S001", 0))
    response = ns.post(f"{RECORD}/cashSale", json=bad_qty)
    assert response.status_code == 400
    assert response.json()["o:errorDetails"][0]["o:errorPath"] == "item.items[0].quantity"
    unknown = ns.post(f"{RECORD}/cashSale", json=cash_sale("POS-3", ("NOPE", "S001", 1)))
    assert _error(unknown)[2] == "INVALID_KEY_OR_REF"
    assert _error(ns.get(f"{RECORD}/cashSale/999"))[0:1] == (404,)
    assert _error(ns.get(f"{RECORD}/salesOrder"))[2] == "INVALID_RCRD_TYPE"


def test_suiteql_pages_with_limit_offset_has_more_and_links(ns: httpx.Client) -> None:
    for n in range(5):
        assert (
            ns.post(
                f"{RECORD}/cashSale", json=cash_sale(f"P-{n}", ("SKU-3", "S001", 1))
            ).status_code
            == 204
        )
    q = {"q": "SELECT id, externalid, foreigntotal FROM transaction ORDER BY id"}
    first = ns.post(SUITEQL, params={"limit": 2}, json=q, headers=TRANSIENT).json()
    assert (first["count"], first["hasMore"], first["totalResults"]) == (2, True, 5)
    assert [i["externalid"] for i in first["items"]] == ["P-0", "P-1"]
    assert first["items"][0]["foreigntotal"] == "3.1"
    assert first["items"][0]["links"] == []
    nxt = next(link["href"] for link in first["links"] if link["rel"] == "next")
    assert nxt.endswith("limit=2&offset=2")
    last = ns.post(SUITEQL, params={"limit": 2, "offset": 4}, json=q, headers=TRANSIENT).json()
    assert (last["count"], last["hasMore"], last["offset"]) == (1, False, 4)
    joined = ns.post(
        SUITEQL,
        json={
            "q": "SELECT t.externalid, c.entityid, COUNT(*) AS n FROM transaction t "
            "JOIN transactionline l ON l.transaction = t.id JOIN customer c ON c.id = t.entity "
            "WHERE t.externalid = 'P-3' GROUP BY t.externalid, c.entityid"
        },
        headers=TRANSIENT,
    ).json()
    assert joined["items"] == [{"links": [], "externalid": "P-3", "entityid": "RETAIL", "n": "1"}]


@pytest.mark.parametrize(
    ("q", "reason"),
    [
        ("SELECT * FROM employee", "Record 'employee' was not found"),
        ("SELECT salary FROM customer", "Field 'salary'"),
        ("DELETE FROM customer", "only a SELECT"),
        ("SELECT pg_sleep(1) FROM customer", "Unknown identifier"),
        ("SELECT id FROM customer; SELECT id FROM item", "exactly one statement"),
        ("SELEC id FRM", "cannot be parsed"),
    ],
)
def test_suiteql_refuses_what_is_not_whitelisted(ns: httpx.Client, q: str, reason: str) -> None:
    response = ns.post(SUITEQL, json={"q": q}, headers=TRANSIENT)
    assert _error(response) == (400, "Bad Request", "INVALID_PARAMETER")
    assert reason in response.json()["o:errorDetails"][0]["detail"]


def test_suiteql_needs_prefer_transient(ns: httpx.Client) -> None:
    response = ns.post(SUITEQL, json={"q": "SELECT id FROM customer"})
    assert response.json()["o:errorDetails"][0]["o:errorPath"] == "Prefer"


def _raw_signed(base: str, path: str, **overrides: Any) -> dict[str, str]:
    client = Client(
        overrides.get("consumer_key", CREDENTIAL["consumer_key"]),
        client_secret=CREDENTIAL["consumer_secret"],
        resource_owner_key=CREDENTIAL["token_id"],
        resource_owner_secret=CREDENTIAL["token_secret"],
        signature_method=overrides.get("method", "HMAC-SHA256"),
        realm=overrides.get("realm", ACCOUNT),
        timestamp=overrides.get("timestamp"),
    )
    _uri, headers, _body = client.sign(f"{base}{path}", "GET")
    return dict(headers)


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({}, "send 'Authorization: OAuth"),
        ({"token_secret": "wrong"}, "signature does not match"),
        ({"realm": "7654321"}, "realm must be the account ID"),
        ({"consumer_key": "someone-else"}, "unknown oauth_consumer_key"),
        ({"method": SIGNATURE_HMAC_SHA1}, "HMAC-SHA1 not in"),
        ({"timestamp": str(int(time.time()) - 3600)}, "timestamp"),
    ],
)
def test_signature_failures_are_401_invalid_login(
    base: str, headers: dict[str, str], reason: str
) -> None:
    path = f"{RECORD}/customer"
    if not headers:
        sent: dict[str, str] = {}
    elif "token_secret" in headers:
        request = httpx.Request("GET", f"{base}{path}")
        sent = {
            "Authorization": next(OAuth1(**headers).auth_flow(request)).headers["Authorization"]
        }
    else:
        sent = _raw_signed(base, path, **headers)
    response = httpx.get(f"{base}{path}", headers=sent)
    assert _error(response) == (401, "Unauthorized", "INVALID_LOGIN")
    detail = response.json()["o:errorDetails"][0]["detail"]
    assert detail.startswith("Invalid login attempt.")
    assert reason.lower() in detail.lower()


def test_a_replayed_nonce_is_refused(base: str) -> None:
    headers = _raw_signed(base, f"{RECORD}/customer")
    assert httpx.get(f"{base}{RECORD}/customer", headers=headers).status_code == 200
    replay = httpx.get(f"{base}{RECORD}/customer", headers=headers)
    assert _error(replay)[2] == "INVALID_LOGIN"
    assert "nonce" in replay.json()["o:errorDetails"][0]["detail"]


def test_oauth2_bearer_is_an_option(tmp_path: Path) -> None:
    bearer = {"Authorization": "Bearer bearer-1"}
    with serve_netsuite(tmp_path) as url:
        assert httpx.get(f"{url}{RECORD}/location", headers=bearer).status_code == 200
    (tmp_path / "off").mkdir()
    with serve_netsuite(tmp_path / "off", oauth2=False) as url:
        assert httpx.get(f"{url}{RECORD}/location", headers=bearer).status_code == 401


def test_the_request_over_the_account_limit_gets_429(tmp_path: Path) -> None:
    """Shared tier (5) with 3 slots held by other integrations: 2 left; of 3 concurrent
    requests exactly one is refused, at once, whichever it is."""
    (tmp_path / "db").mkdir()
    with (
        serve_netsuite(
            tmp_path / "db",
            capacity=True,
            service_tier="shared",
            other_integrations=3,
            latency="400ms",
            load_factor=0,
        ) as url,
        signed(url) as client,
    ):
        limits = client.get("/services/rest/system/v1/governanceLimits").json()
        assert limits["accountConcurrencyLimit"] == 5
        assert limits["unallocatedConcurrencyLimit"] == 2

        def call(n: int) -> httpx.Response:
            with signed(url) as own:
                return own.post(
                    f"{RECORD}/cashSale", json=cash_sale(f"G-{n}", ("SKU-1", "S001", 1))
                )

        with ThreadPoolExecutor(3) as pool:
            answers = list(pool.map(call, range(3)))
        statuses = sorted(a.status_code for a in answers)
        assert statuses == [204, 204, 429]
        refused = next(a for a in answers if a.status_code == 429)
        assert _error(refused) == (429, "Too Many Requests", "CONCURRENCY_LIMIT_EXCEEDED")
        assert on_hand(client, "SKU-1", "S001") == 98.0


def _poll(client: httpx.Client, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(job_url).json()
        if job["completed"]:
            return job
        time.sleep(0.02)
    raise AssertionError("the job did not complete")


def test_async_request_is_a_job_polled_to_its_result(ns: httpx.Client) -> None:
    accepted = ns.post(
        f"{RECORD}/cashSale",
        json=cash_sale("A-1", ("SKU-2", "S001", 4)),
        headers={"Prefer": "respond-async"},
    )
    assert accepted.status_code == 202
    assert accepted.headers["Preference-Applied"] == "respond-async"
    job_url = accepted.headers["Location"]
    assert "/services/rest/async/v1/job/" in job_url
    pending = ns.get(job_url).json()
    assert (pending["completed"], pending["progress"]) == (False, "pending")
    job = _poll(ns, job_url)
    assert job["progress"] == "succeeded"
    tasks = ns.get(job["task"]["links"][0]["href"]).json()
    task = ns.get(tasks["items"][0]["links"][0]["href"]).json()
    assert task["completed"]
    assert task["progress"] == "succeeded"
    result = ns.get(next(x["href"] for x in task["links"] if x["rel"] == "related"))
    assert result.status_code == 204
    assert ns.get(result.headers["Location"]).json()["externalId"] == "A-1"
    assert on_hand(ns, "SKU-2", "S001") == 46.0
    failed = ns.post(
        f"{RECORD}/cashSale",
        json=cash_sale("A-1", ("SKU-2", "S001", 4)),
        headers={"Prefer": "respond-async"},
    )
    assert _poll(ns, failed.headers["Location"])["progress"] == "failed"


def test_idempotency_key_refuses_a_duplicate_async_request(ns: httpx.Client) -> None:
    key = {"X-NetSuite-Idempotency-Key": "cac827ea-3543-4cda-add2-bae634326c27"}
    headers = {"Prefer": "respond-async", **key}
    first = ns.post(
        f"{RECORD}/cashSale", json=cash_sale("I-1", ("SKU-1", "S001", 1)), headers=headers
    )
    again = ns.post(
        f"{RECORD}/cashSale", json=cash_sale("I-2", ("SKU-1", "S001", 1)), headers=headers
    )
    assert first.status_code == 202
    assert _error(again) == (400, "Conflict", "IDEMPOTENCY_ERROR")
    assert again.headers["Location"] == first.headers["Location"]
    _poll(ns, first.headers["Location"])
    assert on_hand(ns, "SKU-1", "S001") == 99.0
    # on synchronous requests the key does nothing (it works on async requests only)
    for ext in ("I-3", "I-4"):
        sync = ns.post(f"{RECORD}/cashSale", json=cash_sale(ext, ("SKU-1", "S001", 1)), headers=key)
        assert sync.status_code == 204
    assert on_hand(ns, "SKU-1", "S001") == 97.0


def test_inventory_adjustment_moves_stock_once_per_external_id(ns: httpx.Client) -> None:
    body = {
        "externalId": "ADJ-1",
        "adjLocation": {"externalId": "S001"},
        "inventory": {
            "items": [
                {"item": {"externalId": "SKU-1"}, "adjustQtyBy": -4, "memo": "shrinkage"},
                {"item": {"externalId": "SKU-2"}, "adjustQtyBy": 6},
            ]
        },
    }
    created = ns.post(f"{RECORD}/inventoryAdjustment", json=body)
    assert created.status_code == 204
    again = ns.put(f"{RECORD}/inventoryAdjustment/eid:ADJ-1", json=body)
    assert again.headers["Location"] == created.headers["Location"]
    assert _error(ns.post(f"{RECORD}/inventoryAdjustment", json=body))[2] == "DUP_RCRD"
    assert (on_hand(ns, "SKU-1", "S001"), on_hand(ns, "SKU-2", "S001")) == (96.0, 56.0)
    record = ns.get(created.headers["Location"]).json()
    assert [x["adjustQtyBy"] for x in record["inventory"]["items"]] == [-4.0, 6.0]
    rows = ns.post(
        SUITEQL,
        json={
            "q": "SELECT t.type, t.externalid, i.itemid, l.quantity FROM transaction t "
            "JOIN transactionline l ON l.transaction = t.id JOIN item i ON i.id = l.item "
            "WHERE t.type = 'InvAdjst' ORDER BY l.id"
        },
        headers=TRANSIENT,
    ).json()["items"]
    assert [(r["externalid"], r["itemid"], r["quantity"]) for r in rows] == [
        ("ADJ-1", "SKU-1", "-4"),
        ("ADJ-1", "SKU-2", "6"),
    ]
    bad = dict(body, externalId="ADJ-2")
    bad["inventory"] = {"items": [{"item": {"externalId": "NOPE"}, "adjustQtyBy": 1}]}
    refused = ns.post(f"{RECORD}/inventoryAdjustment", json=bad)
    assert refused.json()["o:errorDetails"][0]["o:errorPath"] == "inventory.items[0].item"


def test_suiteql_dates_and_to_char(ns: httpx.Client) -> None:
    assert ns.post(
        f"{RECORD}/cashSale", json=cash_sale("D-1", ("SKU-1", "S001", 1), tranDate="2026-11-23")
    ).is_success
    q = (
        "SELECT trandate, TO_CHAR(trandate, 'YYYY-MM-DD') AS day, "
        "TO_CHAR(lastmodifieddate, 'YYYY-MM-DD\"T\"HH24:MI:SS.FF3') AS modified "
        "FROM transaction WHERE trandate >= '2026-11-01'"
    )
    [row] = ns.post(SUITEQL, json={"q": q}, headers=TRANSIENT).json()["items"]
    assert (row["trandate"], row["day"]) == ("11/23/2026", "2026-11-23")
    assert len(row["modified"]) == len("2026-11-23T10:00:00.000")
    bad = ns.post(
        SUITEQL, json={"q": "SELECT TO_CHAR(trandate, 'Q') FROM transaction"}, headers=TRANSIENT
    )
    assert "format element" in bad.json()["o:errorDetails"][0]["detail"]
