"""The harness's Tryton client, scripted: login, session header, re-login, locks, refusals."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest

from erps.tryton import TrytonClient, TrytonReadError
from erps.tryton.client import READ_METHODS

URL = "http://tryton.test/tillbench/"
Handler = Callable[[dict[str, Any], httpx.Request], httpx.Response]


def ok(result: Any) -> httpx.Response:
    return httpx.Response(200, json={"id": 1, "result": result})


class Tryton:
    """A scripted trytond: answers logins and preferences, then `handler` for the rest."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[tuple[str, list[Any], str | None]] = []
        self.sessions = 0
        self.waits: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        assert request.url == URL + "rpc/"
        self.requests.append((body["method"], body["params"], request.headers.get("authorization")))
        if body["method"] == "common.db.login":
            self.sessions += 1
            return ok([7, f"session-{self.sessions}"])
        if body["method"] == "model.res.user.get_preferences":
            return ok({"company": 1, "language": "en", "locale": {"date": "%Y"}})
        return self.handler(body, request)

    def client(self, **options: Any) -> TrytonClient:
        return TrytonClient(
            URL,
            user="admin",
            password="pw",
            transport=httpx.MockTransport(self),
            sleep=self.waits.append,
            **options,
        )


def session(number: int) -> str:
    return "Session " + base64.b64encode(f"admin:7:session-{number}".encode()).decode()


def test_a_read_logs_in_once_and_sends_the_session_and_context() -> None:
    tryton = Tryton(lambda body, _r: ok([{"id": 1, "list_price": body["params"][-1]["company"]}]))
    client = tryton.client()

    first = client.call("product.product", "read", [1], ["list_price"])
    client.call("product.product", "read", [1], ["list_price"], context={"locations": [5]})

    assert first == [{"id": 1, "list_price": 1}]
    methods = [method for method, _params, _auth in tryton.requests]
    assert methods == [
        "common.db.login",
        "model.res.user.get_preferences",
        "model.product.product.read",
        "model.product.product.read",
    ]
    assert tryton.requests[0][1] == ["admin", {"password": "pw"}, "en"]
    assert tryton.requests[2][2] == session(1)
    assert tryton.requests[2][1][-1] == {"company": 1, "language": "en"}
    assert tryton.requests[3][1][-1] == {"company": 1, "language": "en", "locations": [5]}
    assert client.context == {"company": 1, "language": "en"}


def test_decimals_come_back_as_decimals() -> None:
    tryton = Tryton(lambda _b, _r: ok([{"price": {"__class__": "Decimal", "decimal": "2.50"}}]))

    assert tryton.client().call("product.product", "read", [1], ["price"]) == [
        {"price": Decimal("2.50")}
    ]


def test_an_expired_session_logs_in_again() -> None:
    def handler(_body: dict[str, Any], request: httpx.Request) -> httpx.Response:
        if request.headers["authorization"] == session(1):
            return httpx.Response(401, text="session expired")
        return ok([])

    tryton = Tryton(handler)

    assert tryton.client().call("stock.move", "search", []) == []
    assert tryton.sessions == 2


def test_write_methods_are_refused_before_anything_is_sent() -> None:
    tryton = Tryton(lambda _b, _r: ok(None))

    with pytest.raises(
        ValueError, match=r"sale\.point\.sale\.post: the harness's Tryton client only reads"
    ):
        tryton.client().call("sale.point.sale", "post", [1])
    assert tryton.requests == []
    assert sorted(READ_METHODS) == ["read", "search", "search_count", "search_read"]


def test_a_lock_is_retried_with_growing_waits() -> None:
    answers = [
        httpx.Response(503, text="<p>could not obtain lock</p>"),
        httpx.Response(200, json={"error": ["database is locked", ""]}),
        ok([3]),
    ]
    tryton = Tryton(lambda _b, _r: answers.pop(0))
    client = tryton.client(backoff_s=0.1)

    assert client.call("stock.move", "search", []) == [3]
    assert tryton.waits == [0.1, 0.2]


def test_a_lock_that_stays_is_a_503() -> None:
    tryton = Tryton(lambda _b, _r: httpx.Response(503, text="<p>locked row</p>"))
    client = tryton.client(attempts=3)

    with pytest.raises(TrytonReadError, match="stayed locked for 3 attempts") as caught:
        client.call("stock.move", "search", [])
    assert caught.value.status == 503
    assert len(tryton.waits) == 2


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (["UserError", ["bad domain", ""]], 400),
        (["AccessError", ["no read access", ""]], 403),
        (["KeyError: 'product.nowhere'", ""], 500),
    ],
)
def test_refusals_become_read_errors(error: list[Any], status: int) -> None:
    tryton = Tryton(lambda _b, _r: httpx.Response(200, json={"id": 1, "error": error}))

    with pytest.raises(TrytonReadError) as caught:
        tryton.client().call("product.product", "search", [])
    assert caught.value.status == status
    assert str(caught.value).startswith(f"Tryton {status}: model.product.product.search: ")


def test_a_refused_login_says_what_to_check() -> None:
    def transport(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"id": 1, "error": ["LoginException", ""]})

    client = TrytonClient(
        URL, user="admin", password="bad", transport=httpx.MockTransport(transport)
    )

    with pytest.raises(TrytonReadError, match=r"login of 'admin' at .* refused; check the user"):
        client.login()


def test_no_answer_is_status_0() -> None:
    def transport(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = TrytonClient(
        URL, user="admin", password="pw", transport=httpx.MockTransport(transport)
    )

    with pytest.raises(TrytonReadError) as caught:
        client.login()
    assert caught.value.status == 0
    assert "no answer from http://tryton.test/tillbench/rpc/" in str(caught.value)


def test_search_read_pages_in_id_order() -> None:
    def handler(body: dict[str, Any], _request: httpx.Request) -> httpx.Response:
        _domain, offset, limit, order, _fields, _ctx = body["params"]
        assert order == [["id", "ASC"]]
        ids = list(range(1, 6))[offset : offset + limit]
        return ok([{"id": i} for i in ids])

    tryton = Tryton(handler)

    rows = list(tryton.client().search_read("stock.move", [], ["id"], page=2))

    assert [r["id"] for r in rows] == [1, 2, 3, 4, 5]
    assert sum(1 for m, _p, _a in tryton.requests if m.endswith("search_read")) == 3


def test_attempts_must_be_positive() -> None:
    with pytest.raises(ValueError, match="attempts: must be >= 1, got 0"):
        TrytonClient(URL, user="admin", password="pw", attempts=0)
