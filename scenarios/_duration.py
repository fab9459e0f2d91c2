"""Durations in human units: ``120ms``, ``15s``, ``15m``, ``2h``, ``1d``, ``1h30m``.

`Duration` is a `datetime.timedelta` inside pydantic models. It reads the strings above
(units ``d h m s ms us``, parts may repeat the pattern ``1h30m`` and carry decimals
``1.5h``) or a ``timedelta``, and writes back the most readable form (``900s`` → ``15m``,
``5400s`` → ``1h30m``). Bare numbers are refused: ``900`` could be seconds or minutes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

from domain.durations import DURATION_HINT as PROBLEM
from domain.durations import format_duration, parse_duration

__all__ = [
    "Duration",
    "NonNegativeDuration",
    "PositiveDuration",
    "format_duration",
    "parse_duration",
]


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
