"""Small vectorised helpers over pyarrow columns and numpy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

__all__ = ["codes", "floats", "group_sum", "ints", "strings", "take", "vocabulary"]


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


def codes(values: pa.Array, vocab: pa.Array) -> NDArray[np.int64]:
    """Position of each value in ``vocab``; -1 where absent or null."""
    index = pc.fill_null(pc.index_in(values, value_set=vocab), -1)
    return np.asarray(index.to_numpy(zero_copy_only=False), dtype=np.int64)


def vocabulary(*arrays: pa.Array) -> pa.Array:
    """Distinct non-null values of all ``arrays`` (one shared code space)."""
    merged = pa.chunked_array([a.cast(pa.string()) for a in arrays], type=pa.string())
    return pc.drop_null(pc.unique(merged))


def group_sum(owner: NDArray[np.int64], values: NDArray[Any], size: int) -> NDArray[Any]:
    """Sum of ``values`` per ``owner`` in ``[0, size)``; integer sums wrap like C."""
    out = np.zeros(size, dtype=values.dtype)
    if len(owner) == 0:
        return out
    order = np.argsort(owner, kind="stable")
    sorted_owner = owner[order]
    starts = np.flatnonzero(np.r_[True, sorted_owner[1:] != sorted_owner[:-1]])
    with np.errstate(over="ignore"):
        out[sorted_owner[starts]] = np.add.reduceat(values[order], starts)
    return out


def take(values: NDArray[np.float64], index: NDArray[np.int64]) -> NDArray[np.float64]:
    """``values[index]`` with NaN where ``index`` is -1 (never wrapping around)."""
    out = np.full(len(index), np.nan)
    found = index >= 0
    out[found] = values[index[found]]
    return out
