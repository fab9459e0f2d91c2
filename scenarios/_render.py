"""Write a value the way it would look in a YAML file, for error messages: ``0``, ``-1``,
``'fast'``, ``[1, 2]``, ``{credit: 0.5}``, ``15m``. Characters that are not printable
(line breaks, escapes, bidirectional controls) are written as escapes (``\n``, ``\x1b``), so
a rendered value always stays on one line and cannot drive a terminal."""

from __future__ import annotations

from dataclasses import is_dataclass
from datetime import date, time, timedelta

from pydantic import BaseModel

from ._duration import format_duration

__all__ = ["printable", "render"]

_MAX = 80
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every character that is not printable written as an escape."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _ESCAPES.get(ch) or ascii(ch)[1:-1] for ch in text)


def _number(value: int | float) -> str:
    try:
        return repr(value)
    except ValueError:  # an int past Python's 4300-digit limit for text
        return f"a number of about {int(abs(int(value)).bit_length() * 0.30103) + 1} digits"


def _render(value: object) -> str:
    result: str
    if value is None:
        result = "null"
    elif isinstance(value, bool):
        result = "true" if value else "false"
    elif isinstance(value, int | float):
        result = _number(value)
    elif isinstance(value, str):
        result = "'" + printable(value).replace("'", "''") + "'"
    elif isinstance(value, timedelta):
        result = format_duration(value) if value >= timedelta(0) else str(value)
    elif isinstance(value, date | time):
        result = value.isoformat()
    elif isinstance(value, BaseModel):
        result = _render(value.model_dump(mode="json", by_alias=True))
    elif is_dataclass(value):
        result = str(value)
    elif isinstance(value, dict):
        pairs = (f"{printable(str(key))}: {_render(item)}" for key, item in value.items())
        result = "{" + ", ".join(pairs) + "}"
    elif isinstance(value, list | tuple | set | frozenset):
        result = "[" + ", ".join(_render(item) for item in value) + "]"
    else:
        result = printable(repr(value))
    return result


def render(value: object) -> str:
    """A short YAML-like rendering of ``value`` (cut at 80 characters)."""
    text = _render(value)
    return text if len(text) <= _MAX else text[: _MAX - 1] + "…"
