"""Helpers every Square route uses: JSON responses, idempotent writes, cursor pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from fastapi import Request, Response

from mocks.core import annotate
from mocks.pos.engine.deps import json
from mocks.pos.engine.idempotency import once
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.timestamps import fmt
from mocks.pos.square import cursors
from mocks.pos.square.deps import square_settings

Payload = dict[str, Any]


async def write(
    request: Request,
    store: PosStore,
    *,
    scope: str,
    key: str | None,
    body: object,
    action: Callable[[sa.Connection], Payload],
) -> Response:
    """Run a write through the group commit (one writer, one commit per loop turn); with an
    idempotency key, at most once per key. Answers only after the commit."""
    committer = request.app.state.mock.committer
    if key is None:
        status, payload = 200, await committer.run(action)
    else:
        annotate(request.scope, idempotency_key=key)
        now = fmt(store.clock())
        status, payload = await committer.run(
            lambda conn: once(conn, scope=scope, key=key, body=body, action=action, now=now)
        )
    annotate(request.scope, document_id=_document_id(payload))
    return json(payload, status)


def _document_id(payload: Payload) -> str | None:
    """The id of the object a write created or changed, for the request journal."""
    for name in ("order", "payment", "refund", "customer", "subscription", "catalog_object"):
        found = payload.get(name)
        if isinstance(found, dict) and isinstance(found.get("id"), str):
            return str(found["id"])
    return None


def read(store: PosStore, action: Callable[[sa.Connection], Payload]) -> Response:
    """Run a read in one short transaction (on the event loop, like every database call of
    this app, so readers never wait for a lock held by another thread of this process)."""
    with store.db.connect() as conn:
        return json(action(conn))


def position(store: PosStore, cursor: str | None, *, query: object, size: int) -> list[Any] | None:
    """The keyset position stored in `cursor` (None for the first page)."""
    if cursor is None:
        return None
    now = store.clock().timestamp()
    return cursors.decode(cursor, query=query, now=now, size=size)


def next_cursor(store: PosStore, last: list[Any], *, query: object) -> str:
    """A cursor for the page after `last`, valid for `cursor_ttl_seconds`."""
    ttl = square_settings(store).cursor_ttl_seconds
    return cursors.encode(last, query=query, expires_at=store.clock().timestamp() + ttl)
