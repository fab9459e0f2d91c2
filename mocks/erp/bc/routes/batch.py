"""``$batch``: up to ``batch.max_operations`` (100) requests in one call, as JSON or as
``multipart/mixed`` (`mocks.erp.bc.multipart`).

Without ``Isolation: snapshot`` each operation commits on its own and processing stops at
the first failure (``Prefer: odata.continue-on-error`` goes on). With it, all operations
share one transaction and a failure rolls back everything, reported as Microsoft's "Using
OData transactional $batch requests" shows: the operations before the failure keep their
answers (2xx, although nothing of them was applied), the failed one carries its error, and
the ones after it were not run (424). A client must read any error in a transactional
batch as "nothing applied".
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

import anyio.to_thread
import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response
from starlette.types import Message, Scope

from mocks.core import ApiError, Principal, mock_context
from mocks.erp.bc.deps import SHARED_CONNECTION, State, json
from mocks.erp.bc.errors import render_odata_error
from mocks.erp.bc.schemas import BatchIn, BatchOperation

router = APIRouter(prefix="/api/v2.0", tags=["batch"])

_PASSED_HEADERS = ("authorization",)


@router.post("/$batch")
async def batch(request: Request, state: State, body: BatchIn, _principal: Principal) -> Response:
    """Run a JSON batch of operations."""
    limit = state.settings.batch.max_operations
    if len(body.requests) > limit:
        raise ApiError(
            400,
            f"A batch may hold at most {limit} operations, got {len(body.requests)}; split it.",
            field="requests",
        )
    ids = [op.id for op in body.requests]
    if len(set(ids)) != len(ids):
        raise ApiError(400, "Operation ids must be unique within a batch.", field="requests")
    snapshot = request.headers.get("isolation", "").strip().lower() == "snapshot"
    keep_going = "continue-on-error" in request.headers.get("prefer", "").lower()
    if snapshot:
        responses = await _atomic(request, body.requests)
    else:
        responses = []
        for op in body.requests:
            answer = await _run(request, op, shared=None)
            responses.append(answer)
            if answer["status"] >= 400 and not keep_going:
                break
    return json({"responses": responses})


async def _atomic(request: Request, operations: list[BatchOperation]) -> list[dict[str, Any]]:
    """Run the operations in one transaction, on a private event loop in a worker thread.

    The transaction stays open while operations are awaited; on SQLite it holds the write
    lock, so it must not live on the server's event loop (whose own writers would then
    wait for a lock that only the loop itself could release)."""
    return await anyio.to_thread.run_sync(
        lambda: asyncio.run(_atomic_on_own_loop(request, operations))
    )


async def _atomic_on_own_loop(
    request: Request, operations: list[BatchOperation]
) -> list[dict[str, Any]]:
    ctx = mock_context(request)
    with ctx.db.engine.connect() as conn:
        tx = conn.begin()
        responses: list[dict[str, Any]] = []
        failed: dict[str, Any] | None = None
        try:
            for op in operations:
                answer = await _run(request, op, shared=conn)
                responses.append(answer)
                if answer["status"] >= 400:
                    failed = answer
                    break
        except BaseException:
            tx.rollback()
            raise
        if failed is None:
            tx.commit()
            return responses
        tx.rollback()
    out = responses
    for op in operations[len(responses) :]:
        error = ApiError(
            424,
            f"Not run: the batch was rolled back because operation {failed['id']!r} failed "
            f"with status {failed['status']}; nothing of this batch was applied.",
            code="BatchOperationRolledBack",
        )
        out.append(
            {
                "id": op.id,
                "status": 424,
                "headers": {"content-type": "application/json"},
                "body": render_odata_error(error),
            }
        )
    return out


async def _run(request: Request, op: BatchOperation, *, shared: Any) -> dict[str, Any]:
    """Execute one operation through the app's own routing and error handlers."""
    path, query = _target(op.url)
    if path.rstrip("/").endswith("$batch"):
        return _error(op, ApiError(400, "A batch cannot contain a $batch.", field="url"))
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in op.headers.items()]
    if not any(k == b"authorization" for k, _ in headers):
        headers += [
            (k, v) for k, v in request.scope["headers"] if k.decode("latin-1") in _PASSED_HEADERS
        ]
    try:
        payload = b"" if op.body is None else orjson.dumps(op.body)
    except (TypeError, orjson.JSONEncodeError) as exc:
        return _error(
            op, ApiError(400, f"The operation's body cannot be sent: {exc}.", field="body")
        )
    if payload and not any(k == b"content-type" for k, _ in headers):
        headers.append((b"content-type", b"application/json"))
    headers.append((b"content-length", str(len(payload)).encode()))
    scope: Scope = {
        **{k: v for k, v in request.scope.items() if k in ("server", "client", "scheme", "app")},
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": op.method.upper(),
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": headers,
        "state": {},
        SHARED_CONNECTION: shared,
    }
    sent = False
    status = 500
    response_headers: dict[str, str] = {}
    chunks: list[bytes] = []

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": payload, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers.update(
                {k.decode("latin-1"): v.decode("latin-1") for k, v in message.get("headers", [])}
            )
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    stack = request.app.middleware_stack
    assert stack is not None
    await stack(scope, receive, send)
    raw = b"".join(chunks)
    response_headers.pop("content-length", None)
    return {
        "id": op.id,
        "status": status,
        "headers": response_headers,
        "body": orjson.loads(raw) if raw else None,
    }


def _target(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    path = parts.path
    if not path.startswith("/"):
        path = "/api/v2.0/" + path
    return path, parts.query


def _error(op: BatchOperation, error: ApiError) -> dict[str, Any]:
    return {
        "id": op.id,
        "status": error.status,
        "headers": {"content-type": "application/json"},
        "body": render_odata_error(error),
    }
