"""The never-500 policy for bad input: validation, JSON, routing and database conflicts all
become 4xx answers naming the field, in the body format the dialect provides."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from mocks.core.errors import ApiError

ErrorRenderer = Callable[[ApiError], Mapping[str, Any]]
"""Dialect hook: the JSON body of an error answer (the status comes from the error)."""


def error_response(error: ApiError, render: ErrorRenderer) -> Response:
    """A JSON response for ``error`` in the dialect's format."""
    return Response(
        orjson.dumps(render(error)),
        status_code=error.status,
        media_type="application/json",
        headers=error.headers,
    )


def field_path(loc: Sequence[int | str]) -> str:
    """``("body", "lines", 0, "qty")`` → ``lines[0].qty``; the location kind is dropped."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        kind = parts.pop(0)
        if not parts:
            return str(kind)
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_error(exc: RequestValidationError) -> ApiError:
    """The first validation problem as a 400 naming the field and the value."""
    return validation_problem(list(exc.errors()))


def validation_problem(errors: Sequence[Mapping[str, Any]]) -> ApiError:
    """A 400 for pydantic error dicts (``ValidationError.errors()`` or FastAPI's)."""
    if not errors:
        return ApiError(400, "The request is not valid.")
    first = errors[0]
    field = field_path(first.get("loc", ())) or "body"
    if first.get("type") == "json_invalid":
        reason = first.get("ctx", {}).get("error", "invalid JSON")
        return ApiError(400, f"The request body is not valid JSON: {reason}.", field="body")
    message = str(first.get("msg", "is not valid"))
    value = first.get("input")
    shown = "" if isinstance(value, dict | list) or value is None else f", got {value!r}"
    extra = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return ApiError(400, f"{field}: {message}{shown}{extra}", field=field)


def install_error_handlers(app: FastAPI, render: ErrorRenderer) -> None:
    """Register handlers turning known failures into dialect-shaped 4xx (or 503) answers."""

    async def on_api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc, render)

    async def on_validation(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(validation_error(exc), render)

    async def on_http(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if isinstance(exc.__cause__, ApiError):
            return error_response(exc.__cause__, render)
        headers = dict(exc.headers or {})
        return error_response(ApiError(exc.status_code, str(exc.detail), headers=headers), render)

    async def on_integrity(_request: Request, _exc: Exception) -> Response:
        return error_response(
            ApiError(409, "The record conflicts with an existing record; read it and retry."),
            render,
        )

    async def on_operational(_request: Request, _exc: Exception) -> Response:
        return error_response(
            ApiError(
                503,
                "The database is busy; retry after a moment.",
                headers={"Retry-After": "1"},
            ),
            render,
        )

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(IntegrityError, on_integrity)
    app.add_exception_handler(OperationalError, on_operational)
