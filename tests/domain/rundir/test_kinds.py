"""Kinds of Arrow types: what readers accept and what writers cast."""

from __future__ import annotations

import pyarrow as pa
import pytest

from domain.rundir import kind
from domain.rundir._kinds import readable, writable

DICT = pa.dictionary(pa.int32(), pa.string())


@pytest.mark.parametrize(
    ("type_", "expected"),
    [
        (pa.string(), "text"),
        (pa.large_string(), "text"),
        (DICT, "text"),
        (pa.int16(), "integer"),
        (pa.uint8(), "integer"),
        (pa.float32(), "number"),
        (pa.bool_(), "bool"),
        (pa.timestamp("ms", tz="UTC"), "timestamp"),
        (pa.date32(), "date"),
        (pa.null(), "null"),
        (pa.list_(pa.int32()), "list<item: int32>"),
    ],
)
def test_kind(type_: pa.DataType, expected: str) -> None:
    assert kind(type_) == expected


@pytest.mark.parametrize(
    ("found", "contract", "reads", "writes"),
    [
        (pa.int32(), pa.int64(), True, True),
        (pa.float64(), pa.int64(), True, False),
        (pa.int64(), pa.float64(), True, True),
        (pa.int64(), pa.string(), True, False),
        (pa.string(), pa.int64(), False, False),
        (DICT, pa.string(), True, True),
        (pa.string(), DICT, True, True),
        (pa.null(), pa.bool_(), True, True),
        (pa.int8(), pa.bool_(), False, False),
        (pa.timestamp("ms"), pa.timestamp("us", tz="UTC"), True, True),
        (pa.string(), pa.timestamp("us"), False, False),
    ],
)
def test_what_readers_accept_and_writers_cast(
    found: pa.DataType, contract: pa.DataType, reads: bool, writes: bool
) -> None:
    assert readable(found, contract) is reads
    assert writable(found, contract) is writes
