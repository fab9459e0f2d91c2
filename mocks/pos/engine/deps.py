"""`Annotated` dependencies and the JSON answer shared by the engine's own doors (driver,
admin) and every dialect: the engine handle and an input guard (NUL characters are
refused with 400 before they reach the database)."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import Depends, Request, Response

from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.store import PosStore


async def pos_store(request: Request) -> PosStore:
    """The engine handle of the app serving `request`."""
    store: PosStore = request.app.state.pos_store
    return store


async def guard_input(request: Request) -> None:
    """Refuse NUL characters anywhere in the path, query or body (no database stores them)."""
    raw_path = request.scope.get("raw_path") or b""
    query = request.scope.get("query_string") or b""
    if b"%00" in raw_path or b"%00" in query or "\x00" in request.url.path:
        raise InvalidRequest("NUL characters are not allowed in the URL", field="path")
    if request.method in ("POST", "PUT", "PATCH"):
        body = await request.body()
        if b"\\u0000" in body or b"\x00" in body:
            raise InvalidRequest("NUL characters are not allowed in the body", field="body")


def json(payload: dict[str, Any], status_code: int = 200) -> Response:
    """A JSON response (orjson)."""
    return Response(orjson.dumps(payload), status_code=status_code, media_type="application/json")


Store = Annotated[PosStore, Depends(pos_store)]

__all__ = ["Store", "guard_input", "json", "pos_store"]
