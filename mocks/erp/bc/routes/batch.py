"""``$batch``: up to ``batch.max_operations`` (100) requests in one call, as JSON or as
OData's ``multipart/mixed`` (`mocks.erp.bc.multipart`); the answer comes in the format of
the request.

JSON: without ``Isolation: snapshot`` each operation commits on its own and processing stops
at the first failure (``Prefer: odata.continue-on-error`` goes on). With it, all operations
share one transaction and a failure rolls back everything, reported as Microsoft's "Using
OData transactional $batch requests" shows: the operations before the failure keep their
answers (2xx, although nothing of them was applied), the failed one carries its error, and
the ones after it were not run (424). A client must read any error in a transactional batch
as "nothing applied". ``atomicityGroup`` and ``dependsOn`` (OData 4.01 JSON batches) are
refused rather than ignored.

multipart/mixed: requests outside change sets commit on their own, in order, stopping at the
first failure unless ``Prefer: odata.continue-on-error``; each change set is one transaction
whose requests may address what an earlier one created as ``$<Content-ID>``; a change set
that fails is rolled back and answered by the failing request's response alone (OData 4.0,
11.7.4). ``Isolation: snapshot`` is for JSON batches: a multipart batch that sends it is
refused (put what must commit together in one change set).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import anyio.to_thread
import orjson
from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from starlette.responses import Response
from starlette.types import Message, Scope

from mocks.core import ApiError, Principal, mock_context
from mocks.erp.bc import multipart
from mocks.erp.bc.deps import SHARED_CONNECTION, State, json
from mocks.erp.bc.errors import render_odata_error
from mocks.erp.bc.schemas import BatchIn, BatchOperation

router = APIRouter(prefix="/api/v2.0", tags=["batch"])

T = TypeVar("T")
Headers = list[tuple[bytes, bytes]]
Exchange = tuple[int, dict[str, str], bytes]
"""Status, headers and raw body of one operation's answer."""

_PASSED_HEADERS = ("authorization",)
_OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/BatchIn"}},
            "multipart/mixed": {"schema": {"type": "string", "format": "binary"}},
        },
    }
}


@router.post("/$batch", openapi_extra=_OPENAPI_BODY)
async def batch(request: Request, state: State, _principal: Principal) -> Response:
    """Run a batch of operations (JSON or multipart/mixed)."""
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    snapshot = request.headers.get("isolation", "").strip().lower() == "snapshot"
    keep_going = "continue-on-error" in request.headers.get("prefer", "").lower()
    limit = state.settings.batch.max_operations
    if content_type.split(";")[0].strip().lower() == multipart.MULTIPART:
        if snapshot:
            raise ApiError(
                400,
                "Isolation: snapshot applies to JSON batches; in a multipart/mixed batch put "
                "the requests that must commit together in one change set.",
                field="Isolation",
            )
        return await _multipart(request, raw, content_type, limit=limit, keep_going=keep_going)
    body = _json_body(raw)
    if len(body.requests) > limit:
        raise ApiError(
            400,
            f"A batch may hold at most {limit} operations, got {len(body.requests)}; split it.",
            field="requests",
        )
    ids = [op.id for op in body.requests]
    if len(set(ids)) != len(ids):
        raise ApiError(400, "Operation ids must be unique within a batch.", field="requests")
    for index, op in enumerate(body.requests):
        for name in ("atomicityGroup", "dependsOn"):
            if getattr(op, name) is not None:
                raise ApiError(
                    400,
                    f"{name} is not supported; send Isolation: snapshot to make the whole "
                    "batch one transaction, or use a multipart/mixed change set.",
                    field=f"requests[{index}].{name}",
                )
    if snapshot:
        responses = await _transaction(
            request, functools.partial(_all_or_nothing, request, body.requests)
        )
    else:
        responses = []
        for op in body.requests:
            answer = await _run(request, op, shared=None)
            responses.append(answer)
            if answer["status"] >= 400 and not keep_going:
                break
    return json({"responses": responses})


def _json_body(raw: bytes) -> BatchIn:
    """The JSON batch, or the same 400 a declared body would give."""
    try:
        return BatchIn.model_validate_json(raw or b"null")
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False)]
        raise RequestValidationError(errors) from None


async def _transaction(request: Request, work: Callable[[Any], Awaitable[tuple[T, bool]]]) -> T:
    """Run ``work`` in one transaction, committed when it reports success, on a private
    event loop in a worker thread.

    The transaction stays open while operations are awaited; on SQLite it holds the write
    lock, so it must not live on the server's event loop (whose own writers would then
    wait for a lock that only the loop itself could release)."""

    async def main() -> T:
        ctx = mock_context(request)
        with ctx.db.engine.connect() as conn:
            tx = conn.begin()
            try:
                result, ok = await work(conn)
            except BaseException:
                tx.rollback()
                raise
            if ok:
                tx.commit()
            else:
                tx.rollback()
            return result

    return await anyio.to_thread.run_sync(lambda: asyncio.run(main()))


async def _all_or_nothing(
    request: Request, operations: list[BatchOperation], conn: Any
) -> tuple[list[dict[str, Any]], bool]:
    responses: list[dict[str, Any]] = []
    failed: dict[str, Any] | None = None
    for op in operations:
        answer = await _run(request, op, shared=conn)
        responses.append(answer)
        if answer["status"] >= 400:
            failed = answer
            break
    if failed is None:
        return responses, True
    for op in operations[len(responses) :]:
        error = ApiError(
            424,
            f"Not run: the batch was rolled back because operation {failed['id']!r} failed "
            f"with status {failed['status']}; nothing of this batch was applied.",
            code="BatchOperationRolledBack",
        )
        responses.append(
            {
                "id": op.id,
                "status": 424,
                "headers": {"content-type": "application/json"},
                "body": render_odata_error(error),
            }
        )
    return responses, False


async def _run(request: Request, op: BatchOperation, *, shared: Any) -> dict[str, Any]:
    """One JSON operation through the app's own routing and error handlers."""
    if _target(op.url)[0].rstrip("/").endswith("$batch"):
        return _error(op, ApiError(400, "A batch cannot contain a $batch.", field="url"))
    try:
        payload = b"" if op.body is None else orjson.dumps(op.body)
    except (TypeError, orjson.JSONEncodeError) as exc:
        return _error(
            op, ApiError(400, f"The operation's body cannot be sent: {exc}.", field="body")
        )
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in op.headers.items()]
    status, answer_headers, raw = await _exchange(
        request, op.method.upper(), op.url, headers, payload, shared=shared
    )
    body: Any = None
    if raw:
        try:
            body = orjson.loads(raw)
        except orjson.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
    return {"id": op.id, "status": status, "headers": answer_headers, "body": body}


async def _exchange(
    request: Request, method: str, url: str, headers: Headers, payload: bytes, *, shared: Any
) -> Exchange:
    """Send one request through the app's middleware stack (inside ``shared``'s
    transaction when given); the caller's token goes along unless the request has its own."""
    path, query = _target(url)
    headers = list(headers)
    if not any(k == b"authorization" for k, _ in headers):
        headers += [
            (k, v) for k, v in request.scope["headers"] if k.decode("latin-1") in _PASSED_HEADERS
        ]
    if payload and not any(k == b"content-type" for k, _ in headers):
        headers.append((b"content-type", b"application/json"))
    headers = [(k, v) for k, v in headers if k != b"content-length"]
    headers.append((b"content-length", str(len(payload)).encode()))
    scope: Scope = {
        **{k: v for k, v in request.scope.items() if k in ("server", "client", "scheme", "app")},
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
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
    answer_headers: dict[str, str] = {}
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
            answer_headers.update(
                {k.decode("latin-1"): v.decode("latin-1") for k, v in message.get("headers", [])}
            )
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    stack = request.app.middleware_stack
    assert stack is not None
    await stack(scope, receive, send)
    answer_headers.pop("content-length", None)
    return status, answer_headers, b"".join(chunks)


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


# multipart/mixed ------------------------------------------------------------------------


async def _multipart(
    request: Request, raw: bytes, content_type: str, *, limit: int, keep_going: bool
) -> Response:
    try:
        items = multipart.parse(raw, content_type)
    except multipart.Malformed as exc:
        raise ApiError(400, f"The multipart batch cannot be read: {exc}.", field="body") from None
    count = sum(len(i.requests) if isinstance(i, multipart.ChangeSet) else 1 for i in items)
    if count > limit:
        raise ApiError(
            400,
            f"A batch may hold at most {limit} operations, got {count}; split it.",
            field="body",
        )
    replies: list[multipart.Reply | multipart.ChangeSetReply] = []
    for item in items:
        if isinstance(item, multipart.ChangeSet):
            result = await _transaction(request, functools.partial(_change_set, request, item))
            replies.append(result)
            failed = isinstance(result, multipart.Reply)
        else:
            reply = await _part(request, item, shared=None, refs={})
            replies.append(reply)
            failed = reply.status >= 400
        if failed and not keep_going:
            break
    body, media_type = multipart.render(replies)
    return Response(body, media_type=media_type)


async def _change_set(
    request: Request, change_set: multipart.ChangeSet, conn: Any
) -> tuple[multipart.Reply | multipart.ChangeSetReply, bool]:
    """Every request of the change set, or the failing one's answer (nothing applied)."""
    refs: dict[str, str] = {}
    replies: list[multipart.Reply] = []
    for item in change_set.requests:
        reply = await _part(request, item, shared=conn, refs=refs)
        if reply.status >= 400:
            return reply, False
        replies.append(reply)
        if item.content_id is not None:
            refs[item.content_id] = _location(item, reply, refs)
    return multipart.ChangeSetReply(replies), True


async def _part(
    request: Request, item: multipart.Request, *, shared: Any, refs: dict[str, str]
) -> multipart.Reply:
    url = _resolve(item.url, refs)
    if url is None:
        error = ApiError(
            400,
            f"{item.url.split('/')[0]!r} names no earlier request of this change set; a "
            "Content-ID reference must point at a request before it.",
            field="url",
        )
        return _part_error(item, error)
    if _target(url)[0].rstrip("/").endswith("$batch"):
        return _part_error(item, ApiError(400, "A batch cannot contain a $batch.", field="url"))
    headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in item.headers]
    status, answer_headers, raw = await _exchange(
        request, item.method, url, headers, item.body, shared=shared
    )
    return multipart.Reply(status, answer_headers, raw, item.content_id)


def _resolve(url: str, refs: dict[str, str]) -> str | None:
    """``$<Content-ID>`` at the start of ``url`` replaced by what that request created."""
    if not url.startswith("$") or url.startswith(("$batch", "$metadata")):
        return url
    head, sep, rest = url[1:].partition("/")
    found = refs.get(head)
    if found is None:
        return None
    return found + sep + rest


def _location(item: multipart.Request, reply: multipart.Reply, refs: dict[str, str]) -> str:
    """Where the entity a request created or addressed lives, for ``$<Content-ID>``."""
    located = reply.headers.get("location")
    if located:
        return urlsplit(located).path
    path = _target(_resolve(item.url, refs) or item.url)[0]
    if item.method == "POST" and reply.body:
        try:
            created = orjson.loads(reply.body)
        except orjson.JSONDecodeError:
            created = None
        if isinstance(created, dict) and created.get("id"):
            return f"{path}({created['id']})"
    return path


def _part_error(item: multipart.Request, error: ApiError) -> multipart.Reply:
    body = orjson.dumps(render_odata_error(error))
    return multipart.Reply(
        error.status, {"content-type": "application/json"}, body, item.content_id
    )
