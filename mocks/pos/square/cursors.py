"""Opaque, expiring pagination cursors bound to the query they page through.

Square's rule: resend the same query with `cursor`; the last page has none; cursors expire.
A cursor records the position after the last row, a hash of the query and its expiry; a
cursor used with another query, tampered with or expired gets 400 INVALID_CURSOR.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import orjson

from mocks.pos.engine.errors import InvalidRequest

_KEY = b"tillbench-pos-cursor"


def query_hash(query: object) -> str:
    """A short hash of the query a cursor belongs to."""
    return hashlib.sha256(orjson.dumps(query, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]


def encode(position: list[Any], *, query: object, expires_at: float) -> str:
    """A cursor for the page after `position`."""
    payload = orjson.dumps({"p": position, "q": query_hash(query), "e": round(expires_at, 3)})
    mac = hmac.new(_KEY, payload, hashlib.sha256).digest()[:12]
    return base64.urlsafe_b64encode(mac + payload).decode("ascii").rstrip("=")


def decode(cursor: str, *, query: object, now: float, size: int) -> list[Any]:
    """The position stored in `cursor`; InvalidRequest if it is not valid for `query` now."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        mac, payload = raw[:12], raw[12:]
        if not hmac.compare_digest(mac, hmac.new(_KEY, payload, hashlib.sha256).digest()[:12]):
            raise ValueError("signature")
        data = orjson.loads(payload)
        position = data["p"]
        if not isinstance(position, list) or len(position) != size:
            raise ValueError("shape")
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidRequest(
            f"the cursor is not valid ({exc}); start again without a cursor",
            field="cursor",
            code="INVALID_CURSOR",
        ) from None
    if data.get("q") != query_hash(query):
        raise InvalidRequest(
            "the cursor belongs to another query; resend the same query with its cursor",
            field="cursor",
            code="INVALID_CURSOR",
        )
    if now > float(data.get("e", 0)):
        raise InvalidRequest(
            "the cursor has expired; start again without a cursor",
            field="cursor",
            code="INVALID_CURSOR",
        )
    return position
