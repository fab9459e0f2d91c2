"""The connector's HTTP face: webhook receiver, ``/health`` and ``/metrics`` (Starlette).

A delivery is acknowledged only after its event sits in the durable inbox (or was already
there: duplicates are answered 200 too, so the POS stops resending them); a bad signature
gets 401 and is not stored.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from connectors.common.signature import HEADER, verify

log = logging.getLogger("connector.server")

EventSink = Callable[[str, str, str | None, str], bool]
"""(event_id, type, object_id, raw body) → True when new; must commit before returning."""


def build_app(
    *,
    webhook_path: str,
    webhook_url: str,
    secret: str,
    sink: EventSink,
    metrics: Callable[[], dict[str, Any]],
    ready: Callable[[], bool],
) -> Starlette:
    """The ASGI app serving the contract's endpoints."""

    async def webhook(request: Request) -> Response:
        body = await request.body()
        if not verify(secret, webhook_url, body, request.headers.get(HEADER)):
            log.warning("webhook with a bad signature refused")
            return JSONResponse({"error": "bad signature"}, status_code=401)
        try:
            event = json.loads(body)
            event_id = str(event["event_id"])
            event_type = str(event["type"])
        except (ValueError, KeyError, TypeError):
            return JSONResponse({"error": "not a Square event"}, status_code=400)
        data = event.get("data") or {}
        object_id = data.get("id") if isinstance(data, dict) else None
        text = body.decode("utf-8")
        new = await run_in_threadpool(sink, event_id, event_type, object_id, text)
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
