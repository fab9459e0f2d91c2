"""The connector's HTTP face against hostile input, over real HTTP (uvicorn on loopback):
oversized bodies get 413 before they are read whole, unreadable signatures get 401, signed
bodies that are no POS event get 400 — never a 500, and nothing reaches the inbox."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from hypothesis import given, settings
from hypothesis import strategies as st

from connectors.core.server import MAX_BODY_BYTES, build_app
from connectors.core.signatures import MAX_SIGNATURE_CHARS, same_signature
from connectors.core.state import StateStore
from connectors.pos.square.signature import HEADER
from mocks.core.process import free_port
from mocks.pos.square.signing import sign
from tests.connectors.core.test_server import KEY, URL, app_for

PATH = "/webhooks/square"
EVENT = json.dumps({"event_id": "e-1", "type": "order.updated", "data": {"id": "o-1"}}).encode()


class Served:
    """An app under uvicorn on a free loopback port, in a thread."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="error", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.01)
        return self

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def raw(self, request: bytes, *, timeout: float = 5.0) -> bytes:
        """Send ``request`` as is and return the status line and headers of the answer
        (the socket stays open: the server must answer without the rest of the body)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(request)
            answer = b""
            while b"\r\n\r\n" not in answer:
                chunk = sock.recv(4096)
                if not chunk:
                    break
                answer += chunk
            return answer


@pytest.fixture
def store(tmp_path: Path) -> StateStore:
    return StateStore(tmp_path)


@pytest.fixture
def served(store: StateStore) -> Iterator[Served]:
    with Served(app_for(store)) as running:
        yield running


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


# oversized bodies


def test_a_20_mb_body_is_refused_with_413(served: Served, store: StateStore) -> None:
    body = b"x" * 20_000_000
    answer = httpx.post(served.url + PATH, content=body, headers={HEADER: sign(KEY, URL, body)})
    assert answer.status_code == 413
    assert answer.json() == {"error": f"request body exceeds {MAX_BODY_BYTES} bytes"}
    assert store.pending_events(10) == []


def test_an_announced_20_mb_body_is_refused_before_it_is_sent(served: Served) -> None:
    head = f"POST {PATH} HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n".encode()
    answer = served.raw(head + b"x" * 65_536)  # the other 19.9 MB never come
    assert _status(answer) == 413


def test_a_streamed_body_is_refused_once_it_passes_the_limit(served: Served) -> None:
    head = f"POST {PATH} HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    chunks = chunk * (MAX_BODY_BYTES // 0x10000 + 2)  # past the limit, never the last chunk
    assert _status(served.raw(head + chunks)) == 413


def test_a_body_at_the_limit_is_read(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    event = {"event_id": "e-big", "type": "order.updated", "data": {"id": "o"}, "pad": ""}
    event["pad"] = "x" * (MAX_BODY_BYTES - len(json.dumps(event)))
    body = json.dumps(event).encode()
    assert len(body) == MAX_BODY_BYTES
    with Served(app_for(store)) as running:
        signature = sign(KEY, URL, body)
        answer = httpx.post(running.url + PATH, content=body, headers={HEADER: signature})
    assert (answer.status_code, answer.json()) == (200, {"stored": True})


# signatures the connector cannot even read


@pytest.mark.parametrize(
    "signature",
    [
        b"t\xc3\xa9st",
        b"\xff\xfe\x80",
        b"caf\xe9=",
        b"!!!not base64!!!",
        b"x" * 100_000,
    ],
    ids=["UTF-8 non-ASCII", "binary", "latin-1", "not base64", "oversized"],
)
def test_unreadable_signatures_are_401(served: Served, store: StateStore, signature: bytes) -> None:
    answer = httpx.post(served.url + PATH, content=EVENT, headers={HEADER: signature})
    assert (answer.status_code, answer.json()) == (401, {"error": "bad signature"})
    assert store.pending_events(10) == []


@pytest.mark.parametrize(
    "signature", [b"\xf0\x9f\x92\xa5\xc3\xa9", b"\x80\xff", b""], ids=["emoji", "binary", "empty"]
)
def test_signature_bytes_as_sent_on_the_wire_are_401(served: Served, signature: bytes) -> None:
    head = (
        f"POST {PATH} HTTP/1.1\r\nHost: t\r\nContent-Length: {len(EVENT)}\r\n".encode()
        + HEADER.encode()
        + b": "
        + signature
        + b"\r\n\r\n"
    )
    assert _status(served.raw(head + EVENT)) == 401


@pytest.mark.parametrize(
    "received",
    ["tést", "\udcff", "\x00", "s" * (MAX_SIGNATURE_CHARS + 1), "ā" * 10],
    ids=["latin-1", "surrogate", "NUL", "oversized", "beyond latin-1"],
)
def test_same_signature_never_raises(received: str) -> None:
    assert same_signature("c2lnbmF0dXJl", received) is False


def test_same_signature_still_matches_the_real_one() -> None:
    assert same_signature("c2lnbmF0dXJl", " c2lnbmF0dXJl ") is True


def test_a_verify_that_raises_on_a_header_is_a_401(tmp_path: Path) -> None:
    def verify(_body: bytes, headers: Any) -> bool:
        return bool(headers[HEADER].encode("ascii"))  # an adapter that trusts its input

    app = build_app(
        webhook_path=PATH,
        verify=verify,
        read_event=lambda _: None,
        sink=lambda *_: True,
        metrics=dict,
        ready=lambda: True,
    )
    with Served(app) as running:
        answer = httpx.post(running.url + PATH, content=EVENT, headers={HEADER: b"\xc3\xa9"})
    assert answer.status_code == 401


# signed bodies that are no POS event


def _deliver(app: Any, body: bytes) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.post(PATH, content=body, headers={HEADER: sign(KEY, URL, body)})

    return asyncio.run(go())


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"event_id": "e", "type": "t"}).encode("utf-16"),
        b"[" * 200_000 + b"]" * 200_000,
        b"\xff\xfe\xfd",
        b"",
        b"null",
    ],
    ids=["UTF-16 JSON", "deeply nested", "binary", "empty", "null"],
)
def test_signed_bodies_that_are_no_event_are_400(store: StateStore, body: bytes) -> None:
    answer = _deliver(app_for(store), body)
    assert (answer.status_code, answer.json()) == (400, {"error": "not a POS event"})
    assert store.pending_events(10) == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)
_EVENTS = st.fixed_dictionaries(
    {"event_id": st.text(max_size=30), "type": st.text(max_size=30)},
    optional={"data": st.none() | st.dictionaries(st.text(max_size=5), st.text(max_size=5))},
)
BODIES = st.one_of(
    st.binary(max_size=2000),
    _JSON.map(lambda value: json.dumps(value).encode()),
    _EVENTS.map(lambda value: json.dumps(value, ensure_ascii=False).encode()),
    _EVENTS.map(lambda value: json.dumps(value).encode("utf-16")),
)


def test_no_signed_body_makes_a_server_error(store: StateStore) -> None:
    app = app_for(store)

    @settings(max_examples=100, deadline=None, derandomize=True)
    @given(BODIES)
    def deliver(body: bytes) -> None:
        answer = _deliver(app, body)
        assert answer.status_code in (200, 400), answer.text

    deliver()
