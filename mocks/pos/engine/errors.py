"""Errors of the mock POS.

Every failure the engine reports is a `PosError` carrying what a Square-style error body
needs: an HTTP status, a category, a code, the offending field and a message that names
the value and says how to fix it. The dialect renders them; the engine never builds HTTP.

    mocks.core.ApiError
    └── PosError
    ├── InvalidRequest        400 INVALID_REQUEST_ERROR (bad value, missing field, …)
    │   ├── IdempotencyKeyReused
    │   ├── VersionMismatch
    │   └── RefundRejected    400 REFUND_ERROR
    ├── NotFound              404
    ├── Unauthorized          401 AUTHENTICATION_ERROR
    ├── Forbidden             403 AUTHENTICATION_ERROR
    └── RateLimited           429 RATE_LIMIT_ERROR
"""

from __future__ import annotations

from collections.abc import Mapping

from mocks.core import ApiError


class PosError(ApiError):
    """Base of every error raised by mocks.pos (an `ApiError`, so core renders it too)."""

    status_code = 500
    category = "API_ERROR"
    default_code = "INTERNAL_SERVER_ERROR"

    def __init__(
        self,
        detail: str,
        *,
        field: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            self.status_code, detail, code=code or self.default_code, field=field, headers=headers
        )
        self.detail = detail


class InvalidRequest(PosError):
    """The request is malformed or a value is not acceptable."""

    status_code = 400
    category = "INVALID_REQUEST_ERROR"
    default_code = "INVALID_VALUE"


class IdempotencyKeyReused(InvalidRequest):
    """An idempotency key came back with a different request body."""

    default_code = "IDEMPOTENCY_KEY_REUSED"


class VersionMismatch(InvalidRequest):
    """An update carried a version that is not the latest one."""

    default_code = "VERSION_MISMATCH"


class RefundRejected(InvalidRequest):
    """A refund the payment cannot take (not completed, amount too high, …)."""

    category = "REFUND_ERROR"
    default_code = "REFUND_AMOUNT_INVALID"


class NotFound(PosError):
    """The addressed object does not exist."""

    status_code = 404
    category = "INVALID_REQUEST_ERROR"
    default_code = "NOT_FOUND"


class Unauthorized(PosError):
    """No or an unknown bearer token."""

    status_code = 401
    category = "AUTHENTICATION_ERROR"
    default_code = "UNAUTHORIZED"


class Forbidden(PosError):
    """A valid token without the rights for this endpoint."""

    status_code = 403
    category = "AUTHENTICATION_ERROR"
    default_code = "FORBIDDEN"


class RateLimited(PosError):
    """Too many requests for this credential."""

    status_code = 429
    category = "RATE_LIMIT_ERROR"
    default_code = "RATE_LIMITED"


def missing(field: str) -> InvalidRequest:
    """The error for a required field that is absent."""
    return InvalidRequest(
        f"{field} is required; add it to the request",
        field=field,
        code="MISSING_REQUIRED_PARAMETER",
    )
