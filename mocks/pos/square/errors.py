"""Square error bodies: `{"errors": [{"category", "code", "detail", "field"}]}`.

Categories and codes come from Square's OpenAPI description (`ErrorCategory`, `ErrorCode`).
Errors raised by mocks.core (401, 413, injected 5xx, …) carry only a status, so the code and
category are derived from it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.exceptions import RequestValidationError

from mocks.core import ApiError
from mocks.core.handlers import field_path
from mocks.pos.engine.errors import InvalidRequest

CODE_BY_STATUS = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    402: "GENERIC_DECLINE",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    408: "REQUEST_TIMEOUT",
    409: "CONFLICT",
    413: "REQUEST_ENTITY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "BAD_REQUEST",
    429: "RATE_LIMITED",
    500: "INTERNAL_SERVER_ERROR",
    501: "NOT_IMPLEMENTED",
    502: "BAD_GATEWAY",
    503: "SERVICE_UNAVAILABLE",
    504: "GATEWAY_TIMEOUT",
}

PYDANTIC_CODES = {
    "missing": "MISSING_REQUIRED_PARAMETER",
    "string_type": "EXPECTED_STRING",
    "int_type": "EXPECTED_INTEGER",
    "int_parsing": "EXPECTED_INTEGER",
    "int_from_float": "EXPECTED_INTEGER",
    "bool_type": "EXPECTED_BOOLEAN",
    "bool_parsing": "EXPECTED_BOOLEAN",
    "dict_type": "EXPECTED_OBJECT",
    "model_type": "EXPECTED_OBJECT",
    "model_attributes_type": "EXPECTED_OBJECT",
    "list_type": "EXPECTED_ARRAY",
    "string_too_long": "VALUE_TOO_LONG",
    "string_too_short": "VALUE_TOO_SHORT",
    "too_long": "ARRAY_LENGTH_TOO_LONG",
    "too_short": "ARRAY_LENGTH_TOO_SHORT",
    "greater_than_equal": "VALUE_TOO_LOW",
    "greater_than": "VALUE_TOO_LOW",
    "less_than_equal": "VALUE_TOO_HIGH",
    "less_than": "VALUE_TOO_HIGH",
    "literal_error": "INVALID_ENUM_VALUE",
    "enum": "INVALID_ENUM_VALUE",
    "json_invalid": "INVALID_CONTENT_TYPE",
    "json_type": "EXPECTED_JSON_BODY",
}


def category_for(status: int, code: str) -> str:
    """Square's error category for a status and code."""
    if status == 429:
        return "RATE_LIMIT_ERROR"
    if status in (401, 403):
        return "AUTHENTICATION_ERROR"
    if status >= 500:
        return "API_ERROR"
    if code in ("PAYMENT_NOT_REFUNDABLE", "REFUND_AMOUNT_INVALID", "REFUND_ALREADY_PENDING"):
        return "REFUND_ERROR"
    if status == 402:
        return "PAYMENT_METHOD_ERROR"
    return "INVALID_REQUEST_ERROR"


def render(error: ApiError) -> Mapping[str, Any]:
    """The Square error body of `error`."""
    code = error.code or CODE_BY_STATUS.get(error.status, "BAD_REQUEST")
    category = getattr(error, "category", None) or category_for(error.status, code)
    entry: dict[str, Any] = {"category": category, "code": code, "detail": error.message}
    if error.field:
        entry["field"] = error.field
    return {"errors": [entry]}


def from_validation(exc: RequestValidationError) -> InvalidRequest:
    """The first problem of a pydantic validation failure, as a Square 400 naming the field."""
    errors = list(exc.errors())
    if not errors:
        return InvalidRequest("the request is not valid", code="BAD_REQUEST")
    first = errors[0]
    kind = str(first.get("type", ""))
    loc = tuple(first.get("loc", ()))
    field = field_path(loc)
    if kind == "json_invalid" or (kind == "model_attributes_type" and loc == ("body",)):
        return InvalidRequest(
            "the request body must be a JSON object", field="body", code="EXPECTED_JSON_BODY"
        )
    if kind == "missing" and loc == ("body",):
        return InvalidRequest(
            "a JSON request body is required", field="body", code="EXPECTED_JSON_BODY"
        )
    value = first.get("input")
    shown = "" if isinstance(value, dict | list) or value is None else f", got {value!r:.80}"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return InvalidRequest(
        f"{field}: {first.get('msg', 'is not valid')}{shown}{more}",
        field=field,
        code=PYDANTIC_CODES.get(kind, "INVALID_VALUE"),
    )
