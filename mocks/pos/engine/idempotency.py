"""Idempotency keys (Square): same key + same body → the original response again; same key +
different body → IDEMPOTENCY_KEY_REUSED.

The key row is written in the same transaction as the effect it guards, so a key is
either absent (nothing happened) or present with the response that was acknowledged. Two
requests with one key in flight at once are serialised by the group commit (one writer),
so the second sees the first's row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import orjson
import sqlalchemy as sa

from mocks.pos.engine.errors import IdempotencyKeyReused
from mocks.pos.engine.tables import idempotency_keys

Response = dict[str, Any]


def body_hash(body: object) -> str:
    """A stable hash of a JSON-like body (key order does not matter)."""
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def lookup(
    conn: sa.Connection, *, scope: str, key: str, digest: str
) -> tuple[int, Response] | None:
    """The stored (status, response) for `key`, None if unseen; raise on a different body."""
    row = conn.execute(
        sa.select(
            idempotency_keys.c.body_hash,
            idempotency_keys.c.status_code,
            idempotency_keys.c.response,
        ).where(idempotency_keys.c.scope == scope, idempotency_keys.c.key == key)
    ).first()
    if row is None:
        return None
    if row.body_hash != digest:
        raise IdempotencyKeyReused(
            f"idempotency key {key!r} was already used with a different request; "
            "use a new key for a new request",
            field="idempotency_key",
        )
    return int(row.status_code), dict(row.response)


def once(
    conn: sa.Connection,
    *,
    scope: str,
    key: str,
    body: object,
    action: Callable[[sa.Connection], Response],
    now: str,
    status_code: int = 200,
) -> tuple[int, Response]:
    """Run `action` once per (scope, key) inside the caller's transaction; a repeated request
    gets the stored response, a different body with the same key IdempotencyKeyReused."""
    digest = body_hash(body)
    seen = lookup(conn, scope=scope, key=key, digest=digest)
    if seen is not None:
        return seen
    response = action(conn)
    conn.execute(
        idempotency_keys.insert().values(
            scope=scope,
            key=key,
            body_hash=digest,
            status_code=status_code,
            response=response,
            created_at=now,
        )
    )
    return status_code, response
