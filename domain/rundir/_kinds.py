"""Kinds of Arrow types: what a reader accepts for a column, what a writer may hand over.

A column's contract type is exact for writers (a producer's ints become the contract's
``int16``; a string column may stay dictionary encoded). Readers accept any type of the
same kind, so a table written by pandas or another tool reads as long as its values mean
the same: any integer width, integers for floats and floats for integers (pandas writes an
integer column with nulls as floats), strings for ids also as integers (older simulations
wrote numeric fault ids), and an all-null column for anything.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = ["NAMES", "kind", "readable", "writable"]

NAMES = {
    "text": "text",
    "integer": "an integer",
    "number": "a number",
    "bool": "true/false",
    "timestamp": "a timestamp",
    "date": "a date",
    "null": "null",
}
"""How an error message names each kind."""

_READS: dict[str, frozenset[str]] = {
    "text": frozenset({"text", "integer"}),
    "integer": frozenset({"integer", "number"}),
    "number": frozenset({"integer", "number"}),
}
_WRITES: dict[str, frozenset[str]] = {"number": frozenset({"integer", "number"})}


def kind(type_: pa.DataType) -> str:
    """``text``, ``integer``, ``number``, ``bool``, ``timestamp``, ``date``, ``null``, or the
    type's own name for anything else (lists, structs, binary)."""
    if pa.types.is_dictionary(type_):
        type_ = type_.value_type
    if pa.types.is_string(type_) or pa.types.is_large_string(type_):
        return "text"
    if pa.types.is_integer(type_):
        return "integer"
    if pa.types.is_floating(type_):
        return "number"
    if pa.types.is_boolean(type_):
        return "bool"
    if pa.types.is_timestamp(type_):
        return "timestamp"
    if pa.types.is_date(type_):
        return "date"
    if pa.types.is_null(type_):
        return "null"
    return str(type_)


def readable(found: pa.DataType, contract: pa.DataType) -> bool:
    """Whether a reader can take a column of type ``found`` for one of type ``contract``."""
    have, want = kind(found), kind(contract)
    return have in ("null", want) or have in _READS.get(want, ())


def writable(given: pa.DataType, contract: pa.DataType) -> bool:
    """Whether a producer's column of type ``given`` is cast to ``contract`` when written."""
    have, want = kind(given), kind(contract)
    return have in ("null", want) or have in _WRITES.get(want, ())
