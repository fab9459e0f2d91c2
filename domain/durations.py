"""Durations in human units: ``120ms``, ``15s``, ``15m``, ``2h``, ``1d``, ``1h30m``.

The one parser and formatter of the project: scenario files, fault timelines, SLOs and the
connectors' settings all write durations this way. Units ``d h m s ms us``; parts may repeat
(``1h30m``) and carry decimals (``1.5h``); white space between parts is allowed. Bare
numbers are not durations here: ``900`` could be seconds or minutes, so callers that accept
numbers decide their unit themselves.

Example::

    parse_duration("1h30m")                      # timedelta(seconds=5400)
    format_duration(timedelta(seconds=900))      # '15m'
    duration_seconds("120ms")                    # 0.12
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

__all__ = ["DURATION_HINT", "duration_seconds", "format_duration", "parse_duration"]

DURATION_HINT = "not a duration like 15m, 2h, 120ms"
"""The problem to report for a malformed duration."""

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


def parse_duration(text: str) -> timedelta:
    """Parse ``"1h30m"`` into ``timedelta(hours=1, minutes=30)``; `ValueError` if malformed."""
    if not _WHOLE.fullmatch(text):
        raise ValueError(f"{DURATION_HINT}, got {text!r}")
    total = sum(
        (Decimal(number) * _MICROSECONDS[unit] for number, unit in _PART.findall(text)),
        start=Decimal(0),
    )
    return timedelta(microseconds=int(total.to_integral_value()))


def duration_seconds(text: str) -> float:
    """`parse_duration` in seconds, as a float."""
    return parse_duration(text).total_seconds()


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
