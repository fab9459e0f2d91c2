"""Exceptions of the ERP engine; the dialect turns them into vendor error answers.

Hierarchy::

    ErpError(Exception)
    ├── NotFound              a referenced record does not exist (entity, key field, value)
    ├── Invalid               a value breaks a business rule (field, value)
    ├── Conflict              a duplicate, e.g. an external document number already posted
    └── PreconditionFailed    the ETag sent no longer matches the record (stale)
"""

from __future__ import annotations


class ErpError(Exception):
    """Base of the ERP engine's exceptions; ``field`` names what the client must fix."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        self.message = message
        self.field = field
        super().__init__(message)


class NotFound(ErpError):
    """``entity`` with ``key`` = ``value`` does not exist."""

    def __init__(self, entity: str, key: str, value: object, *, field: str | None = None) -> None:
        self.entity = entity
        self.key = key
        self.value = value
        super().__init__(
            f"The {entity} does not exist. Identification fields and values: {key}='{value}'",
            field=field or key,
        )


class Invalid(ErpError):
    """A value breaks a business rule."""


class Conflict(ErpError):
    """The record conflicts with one already there."""


class PreconditionFailed(ErpError):
    """Another user has changed the record since the client read it."""
