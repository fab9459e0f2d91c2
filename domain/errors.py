"""Errors raised by the domain package.

Hierarchy::

    ValueError
    └── DomainError                 base of every error raised by ``domain``
        └── InvariantError          a value breaks a rule of the vocabulary; names the
            │                       field (``SaleLine.quantity``) and the offending value
            └── CurrencyMismatchError   two currencies met where one was required

Messages read ``<Type.field>: <what is wrong>``, for example
``SaleLine.quantity: must be > 0, got -2``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

__all__ = ["CurrencyMismatchError", "DomainError", "InvariantError", "show"]


class DomainError(ValueError):
    """Base of every error raised by the domain package."""


class InvariantError(DomainError):
    """A value breaks a rule of the domain; ``field`` and ``value`` say which one.

    Example::

        InvariantError("SaleLine.quantity", Decimal(-2), "must be > 0, got -2")
    """

    field: str
    value: object
    reason: str

    def __init__(self, field: str, value: object, reason: str) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        super().__init__(f"{field}: {reason}")

    @classmethod
    def got(cls, field: str, value: object, requirement: str, hint: str = "") -> InvariantError:
        """Build the common ``<field>: <requirement>, got <value>[; <hint>]`` message."""
        reason = f"{requirement}, got {show(value)}"
        return cls(field, value, f"{reason}; {hint}" if hint else reason)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.field, self.value, self.reason))


class CurrencyMismatchError(InvariantError):
    """Two amounts in different currencies were combined, compared or put in one document."""


def show(value: object) -> str:
    """Render a value for an error message: numbers and money plainly, text quoted."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return repr(value.value)
    if isinstance(value, str):
        return repr(str(value))
    if hasattr(value, "currency") and hasattr(value, "amount"):
        return str(value)  # Money and its look-alikes print as "12.34 USD"
    return repr(value)
