"""Exceptions of the mock infrastructure.

Hierarchy::

    MockError(Exception)
    ├── ConfigError(MockError, ValueError)   bad settings; names the field and the value
    └── ApiError(MockError)                  an HTTP error answer; dialects render the body
        └── BodyTooLarge(ApiError)           request body above the size limit (413)
"""

from __future__ import annotations

from collections.abc import Mapping


class MockError(Exception):
    """Base of every exception raised by ``mocks.core``."""


class ConfigError(MockError, ValueError):
    """Invalid settings; the message reads ``field: hint, got value``."""

    def __init__(self, field: str, value: object, hint: str) -> None:
        self.field = field
        self.value = value
        super().__init__(f"{field}: {hint}, got {value!r}")


class ApiError(MockError):
    """An error answer: ``status``, a human ``message``, an optional vendor ``code`` (the
    dialect picks one from the status when None) and the offending ``field``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.status = status
        self.message = message
        self.code = code
        self.field = field
        self.headers = dict(headers or {})
        super().__init__(message)


class BodyTooLarge(ApiError):
    """The request body is larger than ``max_body_bytes``."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"Request body exceeds the limit of {limit} bytes; send smaller requests or batches.",
            field="body",
        )
