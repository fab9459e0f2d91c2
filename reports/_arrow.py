"""Small vectorised helpers over pyarrow columns and numpy arrays.

Dictionary-encoded columns (the truth's ids, and the low-cardinality columns `RunDir` reads
as dictionaries) are looked up through their dictionaries, never decoded row by row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

__all__ = ["Groups", "codes", "floats", "ints", "strings", "take", "vocabulary"]


def strings(table: pa.Table, name: str) -> pa.Array:
    """Column ``name`` as a plain (not dictionary-encoded) string array."""
    column: Any = table.column(name)
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    if not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def floats(table: pa.Table, name: str) -> NDArray[np.float64]:
    """Column ``name`` as float64, nulls as NaN."""
    column = pc.cast(table.column(name), pa.float64())
    return np.array(column.to_numpy(zero_copy_only=False), dtype=np.float64)


def ints(table: pa.Table, name: str, *, null: int = 0) -> NDArray[np.int64]:
    """Column ``name`` as int64, nulls replaced by ``null``."""
    column = pc.fill_null(pc.cast(table.column(name), pa.int64()), null)
    return np.array(column.to_numpy(zero_copy_only=False), dtype=np.int64)


def _chunks(values: Any) -> list[Any]:
    return list(values.chunks) if isinstance(values, pa.ChunkedArray) else [values]


def codes(values: Any, vocab: pa.Array) -> NDArray[np.int64]:
    """Position of each value in ``vocab``; -1 where absent or null.

    ``values`` is a string or dictionary array (chunked or not).
    """
    if not pa.types.is_dictionary(values.type):
        if not pa.types.is_string(values.type):
            values = values.cast(pa.string())
        index = pc.fill_null(pc.index_in(values, value_set=vocab), -1)
        return np.asarray(index.to_numpy(zero_copy_only=False), dtype=np.int64)
    parts: list[NDArray[np.int64]] = []
    for chunk in _chunks(values):
        dictionary = chunk.dictionary.cast(pa.string())
        lookup = pc.fill_null(pc.index_in(dictionary, value_set=vocab), -1).to_numpy(
            zero_copy_only=False
        )
        lookup = np.r_[np.asarray(lookup, dtype=np.int64), -1]
        indices = pc.fill_null(chunk.indices.cast(pa.int64()), -1).to_numpy(zero_copy_only=False)
        parts.append(lookup[np.asarray(indices, dtype=np.int64)])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def vocabulary(*columns: Any) -> pa.Array:
    """Distinct non-null strings of all ``columns`` (one shared code space)."""
    pieces: list[pa.Array] = []
    for column in columns:
        for chunk in _chunks(column):
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            pieces.append(values.cast(pa.string()))
    merged = pa.chunked_array(pieces, type=pa.string())
    return pc.drop_null(pc.unique(merged))


def take(values: NDArray[np.float64], index: NDArray[np.int64]) -> NDArray[np.float64]:
    """``values[index]`` with NaN where ``index`` is -1 (never wrapping around)."""
    out = np.full(len(index), np.nan)
    found = index >= 0
    out[found] = values[index[found]]
    return out


class Groups:
    """Rows grouped by an owner in ``[0, size)``, sorted once, summed many times."""

    def __init__(self, owner: NDArray[np.int64], size: int) -> None:
        self.size = size
        self._order = np.argsort(owner, kind="stable")
        sorted_owner = owner[self._order]
        if len(sorted_owner):
            self._starts = np.flatnonzero(np.r_[True, sorted_owner[1:] != sorted_owner[:-1]])
        else:
            self._starts = np.zeros(0, dtype=np.int64)
        self._keys = sorted_owner[self._starts]

    def sum(self, values: NDArray[Any]) -> NDArray[Any]:
        """Per-owner sums of ``values`` (integer sums wrap like C)."""
        out = np.zeros(self.size, dtype=values.dtype)
        if len(self._starts):
            with np.errstate(over="ignore"):
                out[self._keys] = np.add.reduceat(values[self._order], self._starts)
        return out
