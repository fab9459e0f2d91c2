"""Deep merge of scenario documents, remembering which file set each value.

``extends`` and overrides both merge a child mapping over a base: mappings merge key by
key, lists and scalars replace, and ``null`` over an inherited mapping removes it (so a
child can drop a tax class). `Layer` carries the merged data together with the origin of
every path, so an error can name the file that wrote the offending value.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Layer", "Loc", "deep_merge"]

Loc = tuple[str | int, ...]


def _paths(value: Any, prefix: Loc) -> list[Loc]:
    found = [prefix]
    if isinstance(value, Mapping):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def deep_merge(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """``child`` merged over ``base`` (neither is modified)."""
    merged = copy.deepcopy(dict(base))
    for key, value in child.items():
        inherited = merged.get(key)
        if value is None and isinstance(inherited, Mapping):
            del merged[key]
        elif isinstance(value, Mapping) and isinstance(inherited, Mapping):
            merged[key] = deep_merge(inherited, value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


@dataclass(frozen=True)
class Layer:
    """A scenario document and, for every path in it, the file that wrote it."""

    data: dict[str, Any]
    origin: dict[Loc, str] = field(default_factory=dict)

    @classmethod
    def of(cls, data: dict[str, Any], file: str) -> Layer:
        """A layer whose every value comes from ``file``."""
        return cls(data, dict.fromkeys(_paths(data, ()), file))

    def under(self, child: Layer) -> Layer:
        """``child`` merged over this layer; origins follow whoever wrote last."""
        origin = dict(self.origin)
        for loc in child.origin:
            value = _get(child.data, loc)
            if not isinstance(value, Mapping):
                for inherited in [k for k in origin if k[: len(loc)] == loc]:
                    del origin[inherited]
        origin.update(child.origin)
        return Layer(deep_merge(self.data, child.data), origin)

    def file_of(self, loc: Loc) -> str:
        """The file that wrote ``loc`` or its nearest written ancestor."""
        for length in range(len(loc), -1, -1):
            found = self.origin.get(loc[:length])
            if found is not None:
                return found
        raise KeyError(loc)


def _get(data: Any, loc: Loc) -> Any:
    for key in loc:
        data = data[key]
    return data
