"""The webhook receiver: the POS adapter checks signatures (in constant time) and reads
events; a delivery is acknowledged after its event is durably enqueued."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx

from connectors.core.server import build_app
from connectors.core.state import StateStore
from connectors.pos.square.adapter import SquareAdapter
from connectors.pos.square.client import SquareClient
from connectors.pos.square.signature import HEADER
from mocks.pos.square.signing import sign

URL = "http://127.0.0.1:9/webhooks/square"
KEY = "signature-key"


def deliver(app: Any, body: bytes, signature: str | None) -> httpx.Response:
    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            headers = {HEADER: signature} if signature else {}
            return await client.post("/webhooks/square", content=body, headers=headers)

    return asyncio.run(go())


def app_for(store: StateStore) -> Any:
    square = SquareAdapter(
        SquareClient(None),  # type: ignore[arg-type]  # no request is made
        cache=store,
        webhook_secret=KEY,
        webhook_url=URL,
    )
    return build_app(
        webhook_path="/webhooks/square",
        verify=square.verify,
        read_event=square.read_event,
        sink=store.enqueue_event,
        metrics=lambda: {"backlog": 0},
        ready=lambda: True,
    )


def test_webhooks_are_stored_once_and_forged_ones_refused(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    app = app_for(store)
    event = {"event_id": "e-1", "type": "order.updated", "data": {"id": "o-1"}}
    body = json.dumps(event).encode()
    first = deliver(app, body, sign(KEY, URL, body))
    again = deliver(app, body, sign(KEY, URL, body))
    forged = deliver(app, body, sign("wrong", URL, body))
    assert (first.status_code, first.json()) == (200, {"stored": True})
    assert (again.status_code, again.json()) == (200, {"stored": False})
    assert forged.status_code == 401
    assert [(e[0], e[2]) for e in store.pending_events(10)] == [("e-1", "o-1")]


def test_a_signed_body_that_is_not_an_event_is_a_400(tmp_path: Path) -> None:
    store = StateStore(tmp_path)
    body = b'{"type": "order.updated"}'
    answer = deliver(app_for(store), body, sign(KEY, URL, body))
    assert (answer.status_code, answer.json()) == (400, {"error": "not a POS event"})
    assert store.pending_events(10) == []
