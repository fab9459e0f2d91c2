"""Tryton's JSON: Decimals, dates, datetimes, times, timedeltas and bytes travel as
``{"__class__": …}`` objects; `dumps` writes them and `loads` reads them back.

Example::

    dumps({"price": Decimal("2.50")})   # '{"price":{"__class__":"Decimal","decimal":"2.50"}}'
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

__all__ = ["dumps", "loads"]


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {
            "__class__": "datetime",
            "year": value.year,
            "month": value.month,
            "day": value.day,
            "hour": value.hour,
            "minute": value.minute,
            "second": value.second,
            "microsecond": value.microsecond,
        }
    if isinstance(value, dt.date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    if isinstance(value, dt.time):
        return {
            "__class__": "time",
            "hour": value.hour,
            "minute": value.minute,
            "second": value.second,
            "microsecond": value.microsecond,
        }
    if isinstance(value, dt.timedelta):
        return {"__class__": "timedelta", "seconds": value.total_seconds()}
    if isinstance(value, bytes):
        return {"__class__": "bytes", "base64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(obj: dict[str, Any]) -> Any:
    kind = obj.get("__class__")
    if kind is None:
        return obj
    if kind == "Decimal":
        return Decimal(obj["decimal"])
    if kind == "date":
        return dt.date(obj["year"], obj["month"], obj["day"])
    if kind == "datetime":
        return dt.datetime(
            obj["year"],
            obj["month"],
            obj["day"],
            obj.get("hour", 0),
            obj.get("minute", 0),
            obj.get("second", 0),
            obj.get("microsecond", 0),
        )
    if kind == "time":
        return dt.time(
            obj.get("hour", 0),
            obj.get("minute", 0),
            obj.get("second", 0),
            obj.get("microsecond", 0),
        )
    if kind == "timedelta":
        return dt.timedelta(seconds=obj["seconds"])
    if kind == "bytes":
        return base64.b64decode(obj["base64"])
    return obj


def dumps(value: Any) -> str:
    """JSON in Tryton's form (Decimal, date, datetime, time, timedelta, bytes)."""
    return json.dumps(_encode(value), separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """Parse Tryton's JSON, turning its ``__class__`` objects back into Python values."""
    return json.loads(text, object_hook=_decode)
