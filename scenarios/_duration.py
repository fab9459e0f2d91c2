"""Durations in human units: ``120ms``, ``15s``, ``15m``, ``2h``, ``1d``, ``1h30m``.

`Duration` is a `datetime.timedelta` inside pydantic models. It reads the strings above
(units ``d h m s ms us``, parts may repeat the pattern ``1h30m`` and carry decimals
``1.5h``) or a ``timedelta``, and writes back the most readable form (``900s`` → ``15m``,
``5400s`` → ``1h30m``). Bare numbers are refused: ``900`` could be seconds or minutes, and so
is anything longer than ``MAX_DURATION`` (ten years) or written in more than
``MAX_DURATION_TEXT`` characters. `at_least` makes a shorter floor for one field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, PlainSerializer
from pydantic_core import PydanticCustomError

from domain.durations import DURATION_HINT as PROBLEM
from domain.durations import format_duration, parse_duration

from ._limits import MAX_DURATION, MAX_DURATION_TEXT

__all__ = [
    "Duration",
    "NonNegativeDuration",
    "PositiveDuration",
    "at_least",
    "format_duration",
    "parse_duration",
]

_TOO_LONG = f"must be ≤ {format_duration(MAX_DURATION)} (ten years)"


def _validate(value: object) -> timedelta:
    if isinstance(value, timedelta):
        parsed = value
    elif isinstance(value, str):
        if len(value) > MAX_DURATION_TEXT:
            raise PydanticCustomError(
                "duration_text", f"not a duration (more than {MAX_DURATION_TEXT} characters)"
            )
        try:
            parsed = parse_duration(value)
        except OverflowError:  # more days than a timedelta holds
            raise PydanticCustomError("duration_too_long", _TOO_LONG) from None
        except ValueError:
            raise PydanticCustomError("duration", PROBLEM) from None
    else:
        raise PydanticCustomError("duration", PROBLEM)
    if parsed > MAX_DURATION:
        raise PydanticCustomError("duration_too_long", _TOO_LONG)
    return parsed


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


def at_least(floor: timedelta, why: str) -> AfterValidator:
    """A validator refusing durations shorter than ``floor``, saying ``why``.

    Example::

        interval: Annotated[PositiveDuration, at_least(timedelta(seconds=1), "...")]
    """
    message = f"must be ≥ {format_duration(floor)} ({why})"

    def check(value: timedelta) -> timedelta:
        if value < floor:
            raise PydanticCustomError("duration_too_short", message)
        return value

    validator: Callable[[timedelta], timedelta] = check
    return AfterValidator(validator)
