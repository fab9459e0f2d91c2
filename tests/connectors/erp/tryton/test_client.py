"""connectors.erp.tryton.client: the JSON-RPC transport against scripted answers (login,
session, lock errors retried, errors mapped to HTTP-like statuses)."""

from __future__ import annotations

import base64
import json
import random
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from connectors.erp.tryton.client import TrytonError, TrytonRpc
from connectors.erp.tryton.codec import dumps

# --- the transport, scripted ----------------------------------------------------------------


def scripted(
    answers: list[Callable[[dict[str, Any]], httpx.Response]],
) -> tuple[TrytonRpc, list[dict[str, Any]]]:
    """A TrytonRpc whose requests get `answers` in turn (login and preferences answered)."""
    seen: list[dict[str, Any]] = []
    queue = list(answers)

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        seen.append({**body, "auth": request.headers.get("Authorization")})
        if body["method"] == "common.db.login":
            return httpx.Response(200, json={"id": body["id"], "result": [7, "tok", None]})
        if body["method"] == "model.res.user.get_preferences":
            return httpx.Response(200, json={"id": body["id"], "result": {"company": 1}})
        return queue.pop(0)(body)

    rpc = TrytonRpc(
        "http://tryton.test/db/",
        user="admin",
        password="pw",
        attempts=3,
        backoff_s=0.001,
        rng=random.Random(1),
        transport=httpx.MockTransport(handle),
    )
    return rpc, seen


def ok(result: Any) -> Callable[[dict[str, Any]], httpx.Response]:
    return lambda body: httpx.Response(200, content=dumps({"id": body["id"], "result": result}))


def status(code: int, text: str = "") -> Callable[[dict[str, Any]], httpx.Response]:
    return lambda _body: httpx.Response(code, text=text)


def error(*error: Any) -> Callable[[dict[str, Any]], httpx.Response]:
    return lambda body: httpx.Response(200, json={"id": body["id"], "error": list(error)})


def test_session_header_and_context_are_sent() -> None:
    rpc, seen = scripted([ok([1, 2])])
    assert rpc.model("sale.point", "search", [], context={"x": 1}) == [1, 2]
    call = seen[-1]
    assert call["method"] == "model.sale.point.search"
    assert call["params"][-1] == {"company": 1, "x": 1}
    assert call["auth"] == "Session YWRtaW46Nzp0b2s="  # base64("admin:7:tok")


def test_503_is_retried_and_counted() -> None:
    rpc, _seen = scripted([status(503, "could not obtain lock"), status(503), ok(True)])
    assert rpc.call("model.x.y") is True
    stats = rpc.stats()
    assert stats.status_503 == 2
    assert stats.retries == 2
    assert stats.calls == 5  # login, preferences, three attempts


def test_503_after_every_attempt_raises_503() -> None:
    rpc, _seen = scripted([status(503, "<p>could not obtain lock on row</p>")] * 3)
    with pytest.raises(TrytonError) as caught:
        rpc.call("model.x.y")
    assert caught.value.status == 503
    assert "could not obtain lock on row" in caught.value.message
    assert rpc.stats().retries == 2


def test_expired_session_logs_in_again() -> None:
    rpc, seen = scripted([status(401), ok("fine")])
    assert rpc.call("model.x.y") == "fine"
    assert [c["method"] for c in seen].count("common.db.login") == 2
    assert rpc.stats().relogins == 1


def test_threads_share_one_relogin_when_the_session_expires() -> None:
    state: dict[str, Any] = {"logins": 0, "valid": ""}
    lock = threading.Lock()

    def handle(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        with lock:
            if body["method"] == "common.db.login":
                state["logins"] += 1
                token = f"tok{state['logins']}"
                state["valid"] = base64.b64encode(f"admin:7:{token}".encode()).decode()
                return httpx.Response(200, json={"id": body["id"], "result": [7, token]})
            if request.headers.get("Authorization") != f"Session {state['valid']}":
                return httpx.Response(401)
        return httpx.Response(200, json={"id": body["id"], "result": {"company": 1}})

    rpc = TrytonRpc(
        "http://tryton.test/db/", user="admin", password="pw", transport=httpx.MockTransport(handle)
    )
    rpc.call("model.x.y")
    state["valid"] = "expired"
    threads = [threading.Thread(target=rpc.call, args=("model.x.y",)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert state["logins"] == 2
    assert rpc.stats().relogins == 1


@pytest.mark.parametrize(
    ("answer", "code", "text"),
    [
        (error("UserError", ["The value is not valid.", "", []]), 400, "The value is not valid."),
        (error("AccessError", ["You are not allowed.", ""]), 403, "You are not allowed."),
        (
            error("UNIQUE constraint failed: sale_point_sale.pos_reference", ""),
            409,
            "a POS reference exists already",
        ),
        (
            error('duplicate key value violates unique constraint "x_pos_reference_unique"', ""),
            409,
            "a POS reference exists already",
        ),
        (error("ConcurrencyException", "Records were modified"), 409, "modified concurrently"),
        (error("boom", "traceback"), 500, "boom"),
        (status(500, "Internal Server Error"), 500, "HTTP 500"),
    ],
)
def test_errors_map_to_statuses(
    answer: Callable[[dict[str, Any]], httpx.Response], code: int, text: str
) -> None:
    rpc, _seen = scripted([answer])
    with pytest.raises(TrytonError) as caught:
        rpc.call("model.x.y")
    assert caught.value.status == code
    assert text in caught.value.message


def test_no_answer_is_status_0() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    rpc = TrytonRpc(
        "http://tryton.test/db/", user="a", password="b", transport=httpx.MockTransport(refuse)
    )
    with pytest.raises(TrytonError) as caught:
        rpc.call("common.db.login", "a", {}, "en")
    assert caught.value.status == 0
    assert "no answer from http://tryton.test/db/rpc/" in caught.value.message
