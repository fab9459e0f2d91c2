"""The webhook receiver: signatures checked in constant time, ack after durable enqueue."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from connectors.common.server import build_app
from connectors.common.signature import HEADER, expected_signature, verify
from connectors.common.state import StateStore
from mocks.pos.square.signing import sign

URL = "http://127.0.0.1:9/webhooks/square"
KEY = "signature-key"


def test_signature_agrees_with_the_mock_pos() -> None:
    body = b'{"event_id": "x"}'
    assert expected_signature(KEY, URL, body) == sign(KEY, URL, body)
    assert verify(KEY, URL, body, sign(KEY, URL, body))
    assert not verify(KEY, URL, body + b" ", sign(KEY, URL, body))
    assert not verify(KEY, URL, body, None)


def deliver(app: Any, body: bytes, signature: str | None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers = {HEADER: signature} if signature else {}
            return await client.post("/webhooks/square", content=body, headers=headers)

    return asyncio.run(go())


def test_webhooks_are_stored_once_and_forged_ones_refused(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    app = build_app(
        webhook_path="/webhooks/square",
        webhook_url=URL,
        secret=KEY,
        sink=store.enqueue_event,
        metrics=lambda: {"backlog": 0},
        ready=lambda: True,
    )
    event = {"event_id": "e-1", "type": "order.updated", "data": {"id": "o-1"}}
    body = json.dumps(event).encode()
    first = deliver(app, body, sign(KEY, URL, body))
    again = deliver(app, body, sign(KEY, URL, body))
    forged = deliver(app, body, sign("wrong", URL, body))
    assert (first.status_code, first.json()) == (200, {"stored": True})
    assert (again.status_code, again.json()) == (200, {"stored": False})
    assert forged.status_code == 401
    assert [(e[0], e[2]) for e in store.pending_events(10)] == [("e-1", "o-1")]
