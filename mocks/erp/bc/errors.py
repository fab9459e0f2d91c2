"""OData error bodies ``{"error": {"code", "message", "target"}}`` and the mapping of engine
errors to statuses and Business Central error codes (the dialect's ``render_error`` and
``map_error``; errors raised by ``mocks.core`` and the capacity model carry only a status,
and get their code from ``STATUS_CODES``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mocks.core import ApiError
from mocks.erp.engine import Conflict, ErpError, Invalid, NotFound, PreconditionFailed

STATUS_CODES = {
    400: "BadRequest",
    401: "Authentication_InvalidCredentials",
    403: "Authorization_Forbidden",
    404: "BadRequest_NotFound",
    405: "BadRequest_MethodNotAllowed",
    409: "Internal_EntityWithSameKeyExists",
    412: "Request_EntityChanged",
    413: "RequestEntityTooLarge",
    428: "Request_IfMatchMissing",
    429: "Application_TooManyRequests",
    500: "InternalServerError",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


def render_odata_error(error: ApiError) -> Mapping[str, Any]:
    """Business Central's error body; ``target`` names the offending field."""
    code = error.code or STATUS_CODES.get(error.status, f"Http{error.status}")
    body: dict[str, Any] = {"code": code, "message": error.message}
    if error.field:
        body["target"] = error.field
        if error.field not in error.message:
            body["message"] = f"{error.field}: {error.message}"
    return {"error": body}


def to_api_error(exc: ErpError) -> ApiError:
    """The HTTP answer for an engine error."""
    if isinstance(exc, NotFound):
        addressed = exc.field == "id"
        return ApiError(
            404 if addressed else 400,
            exc.message,
            code="Internal_RecordNotFound" if addressed else "Application_RecordNotFound",
            field=exc.field,
        )
    if isinstance(exc, Conflict):
        return ApiError(409, exc.message, code="Internal_EntityWithSameKeyExists", field=exc.field)
    if isinstance(exc, PreconditionFailed):
        return ApiError(412, exc.message, code="Request_EntityChanged", field=exc.field)
    if isinstance(exc, Invalid):
        return ApiError(
            400, exc.message, code="Application_FieldValidationException", field=exc.field
        )
    return ApiError(400, exc.message, field=exc.field)
