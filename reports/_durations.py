"""Read SLO durations from a resolved ``scenario.yaml`` without importing ``scenarios``.

The scenario writes durations as ``15m``, ``1h30m``, ``120ms``; mappings handed in by the
caller may also hold ``datetime.timedelta`` or plain seconds.
"""

from __future__ import annotations

from datetime import timedelta

from domain.durations import duration_seconds

__all__ = ["seconds"]


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
    if isinstance(value, str):
        try:
            return duration_seconds(value)
        except ValueError:
            pass
    raise ValueError(f"slo.{name}: not a duration like 15m, 2h, 120ms, got {value!r}")
