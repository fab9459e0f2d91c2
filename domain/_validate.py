"""Small checks shared by the domain's dataclasses; each raises InvariantError."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from domain.errors import InvariantError

T = TypeVar("T")

_MAX_ID = 64


def decimal(field: str, value: object) -> Decimal:
    """Return ``value`` as a finite Decimal; ints are accepted, floats and text are refused."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvariantError.got(field, value, "must be a finite number")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        raise InvariantError.got(
            field, value, "must be a Decimal, never a float", f"write Decimal({str(value)!r})"
        )
    raise InvariantError.got(field, value, "must be a Decimal or an int")


def identifier(field: str, value: object) -> str:
    """Require a non-blank id of at most 64 characters without surrounding whitespace."""
    if not isinstance(value, str):
        raise InvariantError.got(field, value, "must be a string id")
    if not value or value != value.strip() or len(value) > _MAX_ID:
        raise InvariantError.got(
            field, value, f"must be 1–{_MAX_ID} characters without surrounding whitespace"
        )
    return value


def optional_identifier(field: str, value: object) -> str | None:
    """Like :func:`identifier`, but ``None`` is allowed."""
    return None if value is None else identifier(field, value)


def text(field: str, value: object) -> str:
    """Require a non-blank string."""
    if not isinstance(value, str) or not value.strip():
        raise InvariantError.got(field, value, "must be non-blank text")
    return value


def instance(field: str, value: object, kind: type[T]) -> T:
    """Require ``value`` to be an instance of ``kind``."""
    if not isinstance(value, kind):
        raise InvariantError.got(field, value, f"must be a {kind.__name__}")
    return value


def tuple_of(field: str, values: Iterable[T], kind: type[T]) -> tuple[T, ...]:
    """Return ``values`` as a tuple, each item an instance of ``kind``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvariantError.got(field, values, f"must be a sequence of {kind.__name__}")
    items = tuple(values)
    for index, item in enumerate(items):
        if not isinstance(item, kind):
            raise InvariantError.got(f"{field}[{index}]", item, f"must be a {kind.__name__}")
    return items


def day(field: str, value: object) -> date:
    """Require a calendar date (not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvariantError.got(field, value, "must be a datetime.date")
    return value


def moment(field: str, value: object) -> datetime:
    """Require a datetime."""
    if not isinstance(value, datetime):
        raise InvariantError.got(field, value, "must be a datetime.datetime")
    return value


def ordered(start_field: str, start: datetime, end_field: str, end: datetime) -> None:
    """Require ``start <= end`` with both naive or both timezone-aware."""
    if (start.tzinfo is None) != (end.tzinfo is None):
        raise InvariantError.got(
            end_field, end, f"must be timezone-aware exactly when {start_field} is"
        )
    if end < start:
        raise InvariantError.got(
            end_field, end, f"must not be before {start_field} {start.isoformat()}"
        )
