"""Write a value the way it would look in a YAML file, for error messages: ``0``, ``-1``,
``'fast'``, ``[1, 2]``, ``{credit: 0.5}``, ``15m``."""

from __future__ import annotations

from dataclasses import is_dataclass
from datetime import date, time, timedelta

from pydantic import BaseModel

from ._duration import format_duration

__all__ = ["render"]

_MAX = 80


def _render(value: object) -> str:
    result: str
    if value is None:
        result = "null"
    elif isinstance(value, bool):
        result = "true" if value else "false"
    elif isinstance(value, int | float):
        result = repr(value)
    elif isinstance(value, str):
        result = "'" + value.replace("'", "''") + "'"
    elif isinstance(value, timedelta):
        result = format_duration(value) if value >= timedelta(0) else str(value)
    elif isinstance(value, date | time):
        result = value.isoformat()
    elif isinstance(value, BaseModel):
        result = _render(value.model_dump(mode="json", by_alias=True))
    elif is_dataclass(value):
        result = str(value)
    elif isinstance(value, dict):
        result = "{" + ", ".join(f"{key}: {_render(item)}" for key, item in value.items()) + "}"
    elif isinstance(value, list | tuple | set | frozenset):
        result = "[" + ", ".join(_render(item) for item in value) + "]"
    else:
        result = repr(value)
    return result


def render(value: object) -> str:
    """A short YAML-like rendering of ``value`` (cut at 80 characters)."""
    text = _render(value)
    return text if len(text) <= _MAX else text[: _MAX - 1] + "…"
