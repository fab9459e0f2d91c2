"""NetSuite's REST error body and the mapping of engine errors to it.

Every error answer of SuiteTalk REST web services reads::

    {"type": "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.1",
     "title": "Bad Request", "status": 400,
     "o:errorDetails": [{"detail": "…", "o:errorCode": "INVALID_PARAMETER",
                         "o:errorPath": "item.items[0].quantity"}]}

(Oracle, "Error Handling and Logging in REST Web Services"; the idempotency example in
"Sending an Asynchronous Request Using an Idempotency Key"). ``o:errorPath`` names the
offending field when there is one.
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from mocks.core import ApiError
from mocks.erp.engine import Conflict, ErpError, Invalid, NotFound, PreconditionFailed

__all__ = ["STATUS_CODES", "ns_error", "render_error", "to_api_error"]

_SECTIONS = {
    400: "15.5.1",
    401: "15.5.2",
    403: "15.5.4",
    404: "15.5.5",
    405: "15.5.6",
    409: "15.5.10",
    412: "15.5.13",
    413: "15.5.14",
    415: "15.5.16",
    429: "6585#section-4",
    500: "15.6.1",
    502: "15.6.3",
    503: "15.6.4",
    504: "15.6.5",
}

STATUS_CODES = {
    400: "INVALID_PARAMETER",
    401: "INVALID_LOGIN",
    403: "INSUFFICIENT_PERMISSION",
    404: "NONEXISTENT_ID",
    405: "INVALID_METHOD",
    413: "REQUEST_TOO_LARGE",
    429: "CONCURRENCY_LIMIT_EXCEEDED",
    500: "UNEXPECTED_ERROR",
    502: "UNEXPECTED_ERROR",
    503: "SERVICE_UNAVAILABLE",
    504: "TIMEOUT",
}
"""``o:errorCode`` of errors raised with a status only (core, capacity model, faults)."""


def _type(status: int) -> str:
    section = _SECTIONS.get(status, "15.5.1" if status < 500 else "15.6.1")
    if section.startswith("6585"):
        return f"https://www.rfc-editor.org/rfc/rfc{section}"
    return f"https://www.rfc-editor.org/rfc/rfc9110.html#section-{section}"


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def render_error(error: ApiError) -> Mapping[str, Any]:
    """NetSuite's error body for ``error``."""
    code = error.code or STATUS_CODES.get(error.status, "UNEXPECTED_ERROR")
    if error.status == 429 and error.code is None and error.message.startswith("Rate limit"):
        code = "REQUEST_LIMIT_EXCEEDED"
    detail: dict[str, Any] = {"detail": error.message, "o:errorCode": code}
    if error.field:
        detail["o:errorPath"] = error.field
    title = "Conflict" if code == "IDEMPOTENCY_ERROR" else _title(error.status)
    return {
        "type": _type(error.status),
        "title": title,
        "status": error.status,
        "o:errorDetails": [detail],
    }


def ns_error(
    status: int,
    message: str,
    code: str,
    *,
    field: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ApiError:
    """An ``ApiError`` with a NetSuite error code."""
    return ApiError(status, message, code=code, field=field, headers=headers)


def to_api_error(exc: ErpError) -> ApiError:
    """The HTTP answer for an engine error."""
    if isinstance(exc, NotFound):
        if exc.field == "id":
            return ns_error(
                404,
                f"The record instance does not exist. Provide a valid record instance ID. "
                f"({exc.entity} {exc.value})",
                "NONEXISTENT_ID",
                field="id",
            )
        return ns_error(
            400,
            f"Invalid reference: {exc.message}",
            "INVALID_KEY_OR_REF",
            field=exc.field,
        )
    if isinstance(exc, Conflict):
        return ns_error(
            400,
            "A record with this external ID already exists; externalId is unique per record type.",
            "DUP_RCRD",
            field="externalId",
        )
    if isinstance(exc, PreconditionFailed):
        return ns_error(400, exc.message, "RCRD_HAS_BEEN_CHANGED", field=exc.field)
    if isinstance(exc, Invalid):
        return ns_error(400, exc.message, "USER_ERROR", field=exc.field)
    return ns_error(400, exc.message, "USER_ERROR", field=exc.field)
