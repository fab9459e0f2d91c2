"""Durations in human units: ``120ms``, ``15s``, ``15m``, ``2h``, ``1d``, ``1h30m``.

`Duration` is a `datetime.timedelta` inside pydantic models. It reads the strings above
(units ``d h m s ms us``, parts may repeat the pattern ``1h30m`` and carry decimals
``1.5h``) or a ``timedelta``, and writes back the most readable form (``900s`` → ``15m``,
``5400s`` → ``1h30m``). Bare numbers are refused: ``900`` could be seconds or minutes.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

__all__ = [
    "Duration",
    "NonNegativeDuration",
    "PositiveDuration",
    "format_duration",
    "parse_duration",
]

_MICROSECONDS = {
    "d": 86_400_000_000,
    "h": 3_600_000_000,
    "m": 60_000_000,
    "s": 1_000_000,
    "ms": 1_000,
    "us": 1,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|us|d|h|m|s)")
_WHOLE = re.compile(r"(?:\s*\d+(?:\.\d+)?\s*(?:ms|us|d|h|m|s))+\s*")
PROBLEM = "not a duration like 15m, 2h, 120ms"


def parse_duration(text: str) -> timedelta:
    """Parse ``"1h30m"`` into ``timedelta(hours=1, minutes=30)``; `ValueError` if malformed."""
    if not _WHOLE.fullmatch(text):
        raise ValueError(f"{PROBLEM}, got {text!r}")
    total = sum(
        (Decimal(number) * _MICROSECONDS[unit] for number, unit in _PART.findall(text)),
        start=Decimal(0),
    )
    return timedelta(microseconds=int(total.to_integral_value()))


def format_duration(value: timedelta) -> str:
    """A non-negative duration in its most readable units: 15 minutes → ``15m``."""
    if value < timedelta(0):
        raise ValueError(f"durations are never negative, got {value}")
    remaining = value // timedelta(microseconds=1)
    if remaining == 0:
        return "0s"
    parts: list[str] = []
    for unit, size in _MICROSECONDS.items():
        count, remaining = divmod(remaining, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _validate(value: object) -> timedelta:
    if isinstance(value, timedelta):
        return value
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except ValueError:
            pass
    raise PydanticCustomError("duration", PROBLEM)


Duration = Annotated[
    timedelta,
    BeforeValidator(_validate),
    PlainSerializer(format_duration, return_type=str, when_used="json"),
]
"""A `timedelta` written as ``15m``, ``2h``, ``120ms`` or ``1h30m`` in scenario files."""


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise PydanticCustomError("duration_positive", "must be > 0s")
    return value


def _non_negative(value: timedelta) -> timedelta:
    if value < timedelta(0):
        raise PydanticCustomError("duration_non_negative", "must be ≥ 0s")
    return value


PositiveDuration = Annotated[Duration, AfterValidator(_positive)]
"""A `Duration` longer than zero."""
NonNegativeDuration = Annotated[Duration, AfterValidator(_non_negative)]
"""A `Duration` of zero or more."""
