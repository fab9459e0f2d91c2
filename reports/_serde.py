"""Turn the verdict's dataclasses into JSON-ready dicts and back (``summary.json``)."""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from typing import Any, TypeVar

__all__ = ["finite", "from_dict", "to_dict"]

T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    """A dataclass instance as nested plain dicts and lists."""
    return typing.cast(dict[str, Any], _plain(obj))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def from_dict(cls: type[T], data: Any) -> T:
    """Rebuild ``cls`` from what `to_dict` produced (after a JSON round trip)."""
    return typing.cast(T, _build(cls, data))


def _build(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _build(options[0], data) if len(options) == 1 else data
    if origin is list:
        (item,) = typing.get_args(hint)
        return [_build(item, value) for value in data]
    if origin is dict:
        _, item = typing.get_args(hint)
        return {key: _build(item, value) for key, value in data.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = typing.get_type_hints(hint)
        return hint(
            **{
                f.name: _build(hints[f.name], data[f.name])
                for f in dataclasses.fields(hint)
                if f.name in data or not _has_default(f)
            }
        )
    if hint is float and isinstance(data, int):
        return float(data)
    return data


def _has_default(field: dataclasses.Field[Any]) -> bool:
    """A field an older ``summary.json`` may lack (added later, with a default)."""
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


def finite(value: Any) -> Any:
    """JSON has no NaN or infinity: an unmeasurable figure is written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list):
        return [finite(item) for item in value]
    return value
