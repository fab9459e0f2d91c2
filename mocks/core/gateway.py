"""The ASGI layer in front of every mock: body-size limit, fault injection, admission
(capacity models) and the request journal. Admin and docs paths skip faults and journal."""

from __future__ import annotations

import asyncio
import hashlib
import math
import socket
import struct
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mocks.core.errors import ApiError, BodyTooLarge, MockError
from mocks.core.handlers import error_response
from mocks.core.journal import JournalEntry
from mocks.core.redact import redact_query
from mocks.faults import NO_FAULT, HttpDecision, OutageMode

if TYPE_CHECKING:
    from mocks.core.context import MockContext

Admission = Callable[[Scope, str | None], AbstractAsyncContextManager[None]]
"""Capacity hook: entered around each API request; raises ApiError (e.g. 429) to refuse."""

EXEMPT_PREFIXES = ("/admin", "/openapi.json", "/docs", "/redoc")
JOURNAL_NOTES = "tillbench.journal"

_FAULT_MESSAGES = {
    429: "Too many requests; retry later.",
    500: "An internal error occurred; retry the request.",
    502: "Bad gateway.",
    503: "The service is temporarily unavailable; retry later.",
    504: "The gateway timed out.",
}


class ConnectionResetFault(MockError):
    """Raised in-process (no socket to reset) when an outage fault resets the connection."""


def annotate(scope: Scope, **notes: str | None) -> None:
    """Attach journal fields (``idempotency_key``, ``document_id``, ``ref``) to a request."""
    bag = scope.setdefault(JOURNAL_NOTES, {})
    bag.update({k: v for k, v in notes.items() if v is not None})


class Gateway:
    """Wraps the FastAPI app of one mock; see the module docstring."""

    def __init__(self, ctx: MockContext, *, exempt: tuple[str, ...] = ()) -> None:
        self.ctx = ctx
        self.exempt = EXEMPT_PREFIXES + tuple(exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send, app: ASGIApp) -> None:
        ctx = self.ctx
        limit = ctx.settings.max_body_bytes
        path: str = scope["path"]
        authorization = idempotency_key = None
        length: int | None = None
        for key, value in scope["headers"]:
            if key == b"authorization":
                authorization = value.decode("latin-1")
            elif key == b"idempotency-key":
                idempotency_key = value.decode("latin-1")[:200]
            elif key == b"content-length":
                length = int(value) if value.isdigit() else None
        if path.startswith(self.exempt):
            if length is not None and length > limit:
                await error_response(BodyTooLarge(limit), ctx.render_error)(scope, receive, send)
                return
            await app(scope, _limited(receive, limit, None), send)
            return

        wall = ctx.now()
        started = time.perf_counter()
        credential = ctx.tokens.label(authorization)
        hasher = hashlib.sha256() if ctx.settings.journal else None
        status = 0
        fault: str | None = None
        size = [0]

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            ctx.fault_sync.maybe_reload(wall)
            decision = ctx.faults.http_decision(path)
            if decision is not NO_FAULT:
                fault = decision.label
                if await self._inject(decision, scope, receive, send_status, send):
                    return
            if length is not None and length > limit:
                raise BodyTooLarge(limit)
            body_receive = _limited(receive, limit, hasher, size)
            downstream: Send = send_status
            if decision.delay_after > 0 or decision.status_after is not None:
                downstream = _after_phase(decision, send_status, scope, receive, ctx)
            if ctx.admission is None:
                await app(scope, body_receive, downstream)
            else:
                async with ctx.admission(scope, credential):
                    await app(scope, body_receive, downstream)
        except ApiError as exc:
            if status == 0:
                await error_response(exc, ctx.render_error)(scope, receive, send_status)
        finally:
            if ctx.settings.journal:
                notes: dict[str, str] = scope.get(JOURNAL_NOTES, {})
                query = scope.get("query_string", b"")
                ctx.journal.record(
                    JournalEntry(
                        ts=wall,
                        method=scope["method"],
                        path=path,
                        status=status,
                        latency_ms=(time.perf_counter() - started) * 1000.0,
                        credential=credential,
                        query=redact_query(query.decode("latin-1")[:1000]) or None,
                        idempotency_key=notes.get("idempotency_key", idempotency_key),
                        body_sha256=hasher.hexdigest() if hasher and size[0] else None,
                        body_bytes=size[0],
                        document_id=notes.get("document_id"),
                        ref=notes.get("ref"),
                        fault=fault,
                    )
                )

    async def _inject(
        self, decision: HttpDecision, scope: Scope, receive: Receive, send: Send, raw_send: Send
    ) -> bool:
        """Apply a fault decision; True when the request has been answered (or dropped)."""
        if decision.delay > 0:
            await asyncio.sleep(decision.delay)
        if decision.outage is OutageMode.RESET:
            await _reset(raw_send)
            return True
        if decision.outage is OutageMode.HANG:
            await asyncio.sleep(self._hang_seconds())
            await _reset(raw_send)
            return True
        status = 503 if decision.outage is OutageMode.UNAVAILABLE else decision.status
        if status is None:
            return False
        headers = {"Retry-After": retry_after(self.ctx)} if status in (429, 503) else {}
        message = _FAULT_MESSAGES.get(status, f"The request failed with status {status}.")
        await error_response(ApiError(status, message, headers=headers), self.ctx.render_error)(
            scope, receive, send
        )
        return True

    def _hang_seconds(self) -> float:
        now = self.ctx.now()
        ends = [
            f.end
            for f in self.ctx.faults.active(now)
            if f.spec.mode is OutageMode.HANG and f.end is not None
        ]
        remaining = max(ends) - now if ends else self.ctx.settings.hang_seconds
        return max(0.0, min(remaining, self.ctx.settings.hang_seconds))


def retry_after(ctx: MockContext) -> str:
    """Retry-After of an injected 429/503: 5 s divided by the run's speed, cut to the end
    of the active faults, at least 1 s."""
    now = ctx.now()
    wait = 5.0 / ctx.faults.clock.speed
    ends = [f.end for f in ctx.faults.active(now) if f.end is not None]
    if ends:
        wait = min(wait, max(ends) - now)
    return str(max(1, math.ceil(wait)))


def _after_phase(
    decision: HttpDecision, send: Send, scope: Scope, receive: Receive, ctx: MockContext
) -> Send:
    """A ``send`` that holds the processed answer for ``delay_after`` seconds, or swallows
    it and answers ``status_after`` instead."""
    started = [False]

    async def delayed(message: Message) -> None:
        if message["type"] == "http.response.start" and not started[0]:
            started[0] = True
            if decision.delay_after > 0:
                await asyncio.sleep(decision.delay_after)
            if decision.status_after is not None:
                status = decision.status_after
                headers = {"Retry-After": retry_after(ctx)} if status in (429, 503) else {}
                message_text = _FAULT_MESSAGES.get(
                    status, f"The request failed with status {status}."
                )
                error = ApiError(status, message_text, headers=headers)
                await error_response(error, ctx.render_error)(scope, receive, send)
                return
        if decision.status_after is not None:
            return
        await send(message)

    return delayed


def _limited(
    receive: Receive, limit: int, hasher: Any | None, size: list[int] | None = None
) -> Receive:
    """A ``receive`` that raises BodyTooLarge past ``limit`` bytes and feeds ``hasher``."""
    total = [0]

    async def wrapped() -> Message:
        message = await receive()
        if message["type"] == "http.request":
            chunk: bytes = message.get("body", b"")
            total[0] += len(chunk)
            if total[0] > limit:
                raise BodyTooLarge(limit)
            if hasher is not None:
                hasher.update(chunk)
            if size is not None:
                size[0] = total[0]
        return message

    return wrapped


async def _reset(raw_send: Send) -> None:
    """Abort the TCP connection with a RST (uvicorn); raise ConnectionResetFault in-process."""
    cycle = getattr(raw_send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise ConnectionResetFault("connection reset by an injected outage fault")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    if cycle is not None and hasattr(cycle, "disconnected"):
        cycle.disconnected = True
    transport.abort()
    await asyncio.sleep(0)
