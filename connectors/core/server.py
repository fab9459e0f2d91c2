"""The connector's HTTP face: webhook receiver, ``/health`` and ``/metrics`` (Starlette).

A delivery is acknowledged only after its event sits in the durable inbox (or was already
there: duplicates are answered 200 too, so the POS stops resending them); a bad signature
gets 401 and is not stored. What a valid signature is and what an event looks like is the
POS adapter's business (``verify`` and ``read_event``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

if TYPE_CHECKING:
    from connectors.pos import WebhookEvent

log = logging.getLogger("connector.server")

EventSink = Callable[[str, str, str | None, str], bool]
"""(event_id, type, object_id, raw body) → True when new; must commit before returning."""
Verify = Callable[[bytes, Mapping[str, str]], bool]
"""(raw body, request headers) → True when the signature is valid."""
ReadEvent = Callable[[bytes], "WebhookEvent | None"]
"""Raw body → the event it carries, None when it carries none."""


def build_app(
    *,
    webhook_path: str,
    verify: Verify,
    read_event: ReadEvent,
    sink: EventSink,
    metrics: Callable[[], dict[str, Any]],
    ready: Callable[[], bool],
) -> Starlette:
    """The ASGI app serving the contract's endpoints."""

    async def webhook(request: Request) -> Response:
        body = await request.body()
        if not verify(body, request.headers):
            log.warning("webhook with a bad signature refused")
            return JSONResponse({"error": "bad signature"}, status_code=401)
        event = read_event(body)
        if event is None:
            return JSONResponse({"error": "not a POS event"}, status_code=400)
        text = body.decode("utf-8")
        new = await run_in_threadpool(sink, event.event_id, event.type, event.object_id, text)
        return JSONResponse({"stored": new})

    async def health(_request: Request) -> Response:
        if not ready():
            return JSONResponse({"status": "starting"}, status_code=503)
        return JSONResponse({"status": "ok"})

    async def metrics_route(_request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(metrics))

    return Starlette(
        routes=[
            Route(webhook_path, webhook, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/metrics", metrics_route, methods=["GET"]),
        ]
    )
