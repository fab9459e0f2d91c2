"""Exceptions of the connectors.

Hierarchy::

    ConnectorError
    ├── ConfigError        the environment handed over by the harness is unusable
    ├── MappingError       a POS order cannot become an ERP document (the message names the field)
    └── ApiError           an API answered with a permanent failure (4xx other than 408/409/429)
        └── RetriesExhausted   transient failures went on for every allowed attempt
"""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of every error the connectors raise."""


class ConfigError(ConnectorError):
    """A contract variable is missing or malformed; the message names it and the fix."""

    def __init__(self, variable: str, value: object, hint: str) -> None:
        super().__init__(f"{variable}: {hint}, got {value!r}")
        self.variable = variable
        self.value = value
        self.hint = hint


class MappingError(ConnectorError):
    """A POS order cannot become an ERP document; the message names the order and field."""


class ApiError(ConnectorError):
    """A request failed for good (the message carries method, URL, status and body)."""

    def __init__(self, method: str, url: str, status: int, body: str) -> None:
        super().__init__(f"{method} {url} -> {status}: {body[:500]}")
        self.method = method
        self.url = url
        self.status = status
        self.body = body


class RetriesExhausted(ApiError):
    """Every attempt failed transiently (status 0 = no answer: timeout or reset)."""
