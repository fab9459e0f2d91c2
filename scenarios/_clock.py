"""Clock values in scenario files: times of day, opening hours and fault start times.

- `TimeOfDay`: ``"12:00"`` → `datetime.time`.
- `HoursRange`: ``"07:00-22:00"`` (``"00:00-24:00"`` for a store that never closes), held
  as offsets from midnight so ``24:00`` is representable.
- `FaultTime`: when a fault begins: ``"12:00"`` (that clock time on the first simulated
  day), ``"d2 12:00"`` (on day 2) or ``"+2h"`` (an offset from the scenario start).
  `FaultTime.resolve` turns it into an offset from the scenario start.

The simulated clock is the naive local clock of the scenario's timezone: daylight-saving
jumps are not modelled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Annotated, Any

from pydantic import BeforeValidator, GetCoreSchemaHandler, PlainSerializer
from pydantic_core import PydanticCustomError, core_schema

from ._duration import format_duration, parse_duration
from ._limits import MAX_DURATION

__all__ = ["FaultTime", "HoursRange", "TimeOfDay", "format_time", "parse_time"]

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")
_DAY = timedelta(days=1)


def parse_time(text: str) -> time:
    """Parse ``"HH:MM"`` or ``"HH:MM:SS"``; `ValueError` if malformed or out of range."""
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a time of day like 12:00, got {text!r}")
    hour, minute, second = (int(group or 0) for group in match.groups())
    return time(hour, minute, second)


def format_time(value: time) -> str:
    """``time(12, 0)`` → ``"12:00"``; seconds only when present."""
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _offset(text: str) -> timedelta:
    """``"07:00"`` → 7 h since midnight; ``"24:00"`` is the end of the day."""
    if text.strip() == "24:00":
        return _DAY
    moment = parse_time(text)
    return timedelta(hours=moment.hour, minutes=moment.minute, seconds=moment.second)


def _format_offset(offset: timedelta) -> str:
    if offset == _DAY:
        return "24:00"
    return format_time((datetime.min + offset).time())


def _validate_time(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return parse_time(value)
        except ValueError:
            pass
    raise PydanticCustomError("time_of_day", "not a time of day like 12:00")


TimeOfDay = Annotated[
    time,
    BeforeValidator(_validate_time),
    PlainSerializer(format_time, return_type=str, when_used="json"),
]
"""A `datetime.time` written as ``"12:00"`` in scenario files."""


def _string_type_schema(
    cls: type[Any], parse: Any, handler: GetCoreSchemaHandler
) -> core_schema.CoreSchema:
    def validate(value: object) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            return parse(value)
        raise PydanticCustomError(cls.__name__.lower(), cls.PROBLEM)

    return core_schema.no_info_plain_validator_function(
        validate,
        json_schema_input_schema=core_schema.str_schema(),
        serialization=core_schema.plain_serializer_function_ser_schema(
            str, return_schema=core_schema.str_schema(), when_used="json"
        ),
    )


@dataclass(frozen=True, slots=True)
class HoursRange:
    """Opening hours of a store: ``opens`` and ``closes`` as offsets from midnight.

    Example::

        HoursRange.parse("07:00-22:00").contains(timedelta(hours=12))  # True
    """

    opens: timedelta
    closes: timedelta

    PROBLEM = "not opening hours like 07:00-22:00"

    @classmethod
    def parse(cls, text: str) -> HoursRange:
        """Parse ``"07:00-22:00"``; raise a pydantic error that the loader turns into a line."""
        opens_text, dash, closes_text = text.partition("-")
        try:
            if not dash:
                raise ValueError(text)
            opens, closes = _offset(opens_text), _offset(closes_text)
        except ValueError:
            raise PydanticCustomError("hoursrange", cls.PROBLEM) from None
        if opens == _DAY or closes <= opens:
            raise PydanticCustomError(
                "hoursrange", "must close after it opens on the same day, like 07:00-22:00"
            )
        return cls(opens, closes)

    @property
    def length(self) -> timedelta:
        """How long the store is open each day."""
        return self.closes - self.opens

    def contains(self, since_midnight: timedelta) -> bool:
        """True when the store is open at this offset from midnight."""
        return self.opens <= since_midnight < self.closes

    def __str__(self) -> str:
        return f"{_format_offset(self.opens)}-{_format_offset(self.closes)}"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return _string_type_schema(cls, cls.parse, handler)


_FAULT_CLOCK = re.compile(r"(?:d(\d{1,5})\s+)?(\d{1,2}:\d{2}(?::\d{2})?)")
_LAST_DAY = MAX_DURATION.days + 1


@dataclass(frozen=True, slots=True)
class FaultTime:
    """When a fault begins: a clock time on a simulated day, or an offset from the start.

    Exactly one of ``clock`` and ``offset`` is set; ``day`` counts from 1 (the day of the
    scenario's ``start``).
    """

    day: int = 1
    clock: time | None = None
    offset: timedelta | None = None

    PROBLEM = 'not a fault time like "12:00", "d2 12:00" or "+2h"'

    @classmethod
    def parse(cls, text: str) -> FaultTime:
        """Parse ``"12:00"``, ``"d2 12:00"`` or ``"+2h"``."""
        stripped = text.strip()
        try:
            if len(stripped) > 100:
                raise ValueError(text)
            if stripped.startswith("+"):
                offset = parse_duration(stripped[1:])
                if offset > MAX_DURATION:
                    raise OverflowError(text)
                return cls(offset=offset)
            match = _FAULT_CLOCK.fullmatch(stripped)
            if match is None:
                raise ValueError(text)
            day = int(match.group(1) or 1)
            if day < 1:
                raise ValueError(text)
            if day > _LAST_DAY:
                raise OverflowError(text)
            return cls(day=day, clock=parse_time(match.group(2)))
        except OverflowError:
            raise PydanticCustomError(
                "faulttime", f"must fall within {format_duration(MAX_DURATION)} of the start"
            ) from None
        except ValueError:
            raise PydanticCustomError("faulttime", cls.PROBLEM) from None

    def resolve(self, start: datetime) -> timedelta:
        """The offset from the scenario ``start`` at which the fault begins (may be < 0)."""
        if self.offset is not None:
            return self.offset
        assert self.clock is not None
        moment = datetime.combine(start.date() + (self.day - 1) * _DAY, self.clock)
        return moment - start

    def __str__(self) -> str:
        if self.offset is not None:
            return f"+{format_duration(self.offset)}"
        assert self.clock is not None
        clock = format_time(self.clock)
        return clock if self.day == 1 else f"d{self.day} {clock}"

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return _string_type_schema(cls, cls.parse, handler)
