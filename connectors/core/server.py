"""The connector's HTTP face: webhook receiver, ``/health`` and ``/metrics`` (Starlette).

A delivery is acknowledged only after its event sits in the durable inbox (or was already
there: duplicates are answered 200 too, so the POS stops resending them); a bad signature
gets 401 and is not stored. What a valid signature is and what an event looks like is the
POS adapter's business (``verify`` and ``read_event``).

Hostile input gets a 4xx, never a 500 and never a body read whole: a webhook body larger
than ``max_body_bytes`` (`MAX_BODY_BYTES`, 1 MiB, by default) is refused with 413 — at
once when ``Content-Length`` announces it, otherwise as soon as the streamed bytes pass the
limit; a signature the adapter cannot even read (non-ASCII, oversized) is a 401 like a
wrong one; a signed body that is not a UTF-8 JSON event is a 400. `openapi` describes the
three endpoints (the contract's HTTP surface) for tools that test it.
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

__all__ = ["MAX_BODY_BYTES", "EventSink", "ReadEvent", "Verify", "build_app", "openapi"]

log = logging.getLogger("connector.server")

MAX_BODY_BYTES = 1_048_576
"""Largest webhook body read (1 MiB, the mock POS's own request limit); larger ones get 413."""

EventSink = Callable[[str, str, str | None, str], bool]
"""(event_id, type, object_id, raw body) → True when new; must commit before returning."""
Verify = Callable[[bytes, Mapping[str, str]], bool]
"""(raw body, request headers) → True when the signature is valid."""
ReadEvent = Callable[[bytes], "WebhookEvent | None"]
"""Raw body → the event it carries, None when it carries none."""


class _TooLarge(Exception):
    """The request body passed the limit."""


async def _body(request: Request, limit: int) -> bytes:
    """The request body, counted as it streams in; `_TooLarge` past ``limit`` bytes (at once
    when ``Content-Length`` announces more)."""
    announced = request.headers.get("content-length", "")
    if announced.isdigit() and int(announced) > limit:
        raise _TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _error(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def build_app(
    *,
    webhook_path: str,
    verify: Verify,
    read_event: ReadEvent,
    sink: EventSink,
    metrics: Callable[[], dict[str, Any]],
    ready: Callable[[], bool],
    max_body_bytes: int = MAX_BODY_BYTES,
) -> Starlette:
    """The ASGI app serving the contract's endpoints."""

    async def webhook(request: Request) -> Response:
        try:
            body = await _body(request, max_body_bytes)
        except _TooLarge:
            log.warning("webhook body over %d bytes refused", max_body_bytes)
            return _error(f"request body exceeds {max_body_bytes} bytes", 413)
        try:
            signed = verify(body, request.headers)
        except (ValueError, TypeError):  # a header the adapter could not even read
            log.warning("webhook with an unreadable signature header refused")
            signed = False
        if not signed:
            log.warning("webhook with a bad signature refused")
            return _error("bad signature", 401)
        try:
            event = read_event(body)
            text = body.decode("utf-8")
        except (ValueError, RecursionError):
            event = None
        if event is None:
            return _error("not a POS event", 400)
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


def _answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_COUNTERS = ("backlog", "posted", "retries", "dead_letters")
"""What CONTRACT.md §4 requires of ``GET /metrics``."""
_ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}


def openapi(webhook_path: str, *, signature_header: str) -> dict[str, Any]:
    """An OpenAPI 3.1 document of the connector's HTTP surface (CONTRACT.md §4): ``GET
    /health``, ``GET /metrics`` and ``POST`` to ``webhook_path`` signed in
    ``signature_header`` (the POS dialect's)."""
    counter = {"type": "integer", "minimum": 0}
    return {
        "openapi": "3.1.0",
        "info": {"title": "tillbench connector", "version": "1"},
        "paths": {
            "/health": {
                "get": {
                    "summary": "Ready to take webhooks?",
                    "responses": {
                        "200": _answer(
                            "ready", {"type": "object", "properties": {"status": {"const": "ok"}}}
                        ),
                        "503": _answer("still starting", {"type": "object"}),
                    },
                }
            },
            "/metrics": {
                "get": {
                    "summary": "Backlog and counters",
                    "responses": {
                        "200": _answer(
                            "counters",
                            {
                                "type": "object",
                                "properties": dict.fromkeys(_COUNTERS, counter),
                                "required": list(_COUNTERS),
                            },
                        )
                    },
                }
            },
            webhook_path: {
                "post": {
                    "summary": "A signed POS webhook delivery",
                    "parameters": [
                        {
                            "name": signature_header,
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string"},
                        }
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "event_id": {"type": "string"},
                                        "type": {"type": "string"},
                                        "data": {"type": "object"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": _answer(
                            "stored (or already stored)",
                            {"type": "object", "properties": {"stored": {"type": "boolean"}}},
                        ),
                        "400": _answer("signed, but not a POS event", _ERROR),
                        "401": _answer("missing or wrong signature", _ERROR),
                        "413": _answer(f"body over the limit ({MAX_BODY_BYTES} bytes)", _ERROR),
                    },
                }
            },
        },
    }
