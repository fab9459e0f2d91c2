"""Time for the POS engine: RFC 3339 timestamps that sort as text, and parsing them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from mocks.pos.engine.errors import InvalidRequest

Now = Callable[[], datetime]
"""The POS's wall clock as an aware datetime (`utcnow`; tests pass a later one)."""


def utcnow() -> datetime:
    """The wall clock, timezone-aware in UTC."""
    return datetime.now(UTC)


def fmt(moment: datetime) -> str:
    """Format as `2026-11-27T07:00:00.000Z` (Square's millisecond form, fixed width, so
    text order is time order)."""
    utc = moment.astimezone(UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def parse(value: object, field: str) -> datetime:
    """Parse an RFC 3339 timestamp; naive times are taken as UTC."""
    if not isinstance(value, str) or not value:
        raise InvalidRequest(
            f"expected an RFC 3339 timestamp such as 2026-11-27T07:00:00Z, got {value!r}",
            field=field,
            code="INVALID_TIME",
        )
    try:
        moment = datetime.fromisoformat(value.replace("z", "Z"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        moment = moment.astimezone(UTC)
        if not 1970 <= moment.year <= 9998:
            raise ValueError("year out of range")
    except (ValueError, OverflowError) as exc:
        raise InvalidRequest(
            f"not an RFC 3339 timestamp between 1970 and 9998: {value!r} ({exc})",
            field=field,
            code="INVALID_TIME",
        ) from None
    return moment


def normalize(value: object, field: str) -> str:
    """Parse and re-format a timestamp so it compares with stored ones."""
    return fmt(parse(value, field))
