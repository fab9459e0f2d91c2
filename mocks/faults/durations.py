"""Parse human durations such as ``"15m"``, ``"1h30m"``, ``"900ms"`` into seconds."""

from __future__ import annotations

from domain.durations import duration_seconds
from mocks.faults.errors import FaultError


def parse_duration(value: str | float, *, field: str = "duration") -> float:
    """Return ``value`` in seconds; numbers are seconds already.

    Example::

        parse_duration("1h30m") == 5400.0
    """
    if isinstance(value, bool):
        raise FaultError(field, value, "must be a duration such as '15m' or a number of seconds")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        try:
            seconds = duration_seconds(value)
        except ValueError:
            raise FaultError(
                field, value, "must be a duration such as '90s', '15m' or '1h30m'"
            ) from None
    if seconds < 0:
        raise FaultError(field, value, "must be ≥ 0")
    return seconds
