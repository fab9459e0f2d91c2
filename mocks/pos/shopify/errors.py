"""Shopify error bodies for answers outside GraphQL execution: a bad or missing access
token (401 ``{"errors": "[API] Invalid API key or access token …"}``), unknown paths, and
engine errors, as ``{"errors": [{"message", "extensions": {"code"}}]}``."""

from __future__ import annotations

from typing import Any

from mocks.core import ApiError

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"


def render(error: ApiError) -> dict[str, Any]:
    """The JSON body of an error answer."""
    if error.status == 401:
        return {"errors": INVALID_TOKEN}
    code = getattr(error, "code", None) or {
        400: "BAD_REQUEST",
        403: "ACCESS_DENIED",
        404: "NOT_FOUND",
        413: "PAYLOAD_TOO_LARGE",
        429: "THROTTLED",
    }.get(error.status, "INTERNAL_SERVER_ERROR")
    return {"errors": [{"message": error.message, "extensions": {"code": code}}]}
