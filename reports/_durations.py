"""Read SLO durations from a resolved ``scenario.yaml`` without importing ``scenarios``.

The scenario writes durations as ``15m``, ``1h30m``, ``120ms``; mappings handed in by the
caller may also hold ``datetime.timedelta`` or plain seconds.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["seconds"]

_SECONDS = {"d": 86_400.0, "h": 3_600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|us|d|h|m|s)")
_WHOLE = re.compile(r"(?:\s*\d+(?:\.\d+)?\s*(?:ms|us|d|h|m|s))+\s*")


def seconds(name: str, value: object) -> float | None:
    """``value`` in seconds; None stays None. Raises ValueError naming ``name`` if malformed."""
    if value is None:
        return None
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bool):
        raise ValueError(f"slo.{name}: not a duration like 15m, got {value!r}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        return sum(float(number) * _SECONDS[unit] for number, unit in _PART.findall(value))
    raise ValueError(f"slo.{name}: not a duration like 15m, 2h, 120ms, got {value!r}")
