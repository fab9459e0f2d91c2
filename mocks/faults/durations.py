"""Parse human durations such as ``"15m"``, ``"1h30m"``, ``"900ms"`` into seconds."""

from __future__ import annotations

import re

from mocks.faults.errors import FaultError

_UNIT_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")


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
        text = value.strip().replace(" ", "")
        if not text or _PART.sub("", text) != "":
            raise FaultError(field, value, "must be a duration such as '90s', '15m' or '1h30m'")
        seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in _PART.findall(text))
    if seconds < 0:
        raise FaultError(field, value, "must be ≥ 0")
    return seconds
