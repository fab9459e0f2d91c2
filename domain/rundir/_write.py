"""Producers write tables through the contract: `conform`, `write_table`, `TableWriter`.

`conform` turns what a producer has — rows (an iterable of mappings), columns (a mapping
of name to array, numpy array or list) or an Arrow table — into a table with the
contract's schema, or raises `ContractError` naming the table, column and problem:

- a column the contract does not know, or a required column missing, is refused;
- optional columns are written when the producer has them (for rows: when any row has
  the key; a row without it gets null there);
- values are cast to the contract type (safe casts only: no truncation, no overflow); a
  string column may stay dictionary encoded, a dictionary column is encoded;
- a column that may not hold nulls must not;
- columns are written in the contract's order, with the table's description as metadata.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, TypeAlias

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from domain.rundir._kinds import NAMES, kind, writable
from domain.rundir._model import Column, Table
from domain.rundir._registry import table as lookup
from domain.rundir.errors import ContractError

__all__ = ["Data", "TableWriter", "conform", "write_table"]

Data: TypeAlias = "pa.Table | Mapping[str, Any] | Iterable[Mapping[str, Any]]"
"""What a producer hands over: an Arrow table, columns by name, or rows."""

_ANY_ARRAY = (pa.Array, pa.ChunkedArray)


def _spec(table: Table | str) -> Table:
    return table if isinstance(table, Table) else lookup(table)


def conform(table: Table | str, data: Data) -> pa.Table:
    """``data`` as an Arrow table with ``table``'s schema (module docstring)."""
    spec = _spec(table)
    if isinstance(data, pa.Table):
        if len(set(data.column_names)) != data.num_columns:
            raise ContractError(spec.name, "a column name is repeated")
        columns: dict[str, Any] = {n: data.column(n) for n in data.column_names}
        rows = None
    elif isinstance(data, Mapping):
        columns, rows = dict(data), None
    else:
        rows = list(data)
        keys: set[str] = set()
        for row in rows:
            keys.update(row)
        columns = {
            c.name: None for c in spec.columns if not c.optional or c.name in keys
        } | dict.fromkeys(keys - set(spec.names))
    unknown = [name for name in columns if spec.column(name) is None]
    if unknown:
        raise ContractError(
            spec.name,
            f"column {unknown[0]} is not in the contract; docs/run-tables.md lists the columns "
            "of each table",
            column=unknown[0],
        )
    arrays: list[pa.Array | pa.ChunkedArray] = []
    fields: list[pa.Field] = []
    for column in spec.columns:
        if column.name not in columns:
            if column.optional:
                continue
            raise ContractError(spec.name, f"column {column.name} is missing", column=column.name)
        if rows is not None:
            values = _from_rows(spec, column, [row.get(column.name) for row in rows])
        else:
            values = _array(spec, column, columns[column.name])
        if not column.nullable and values.null_count:
            raise ContractError(
                spec.name,
                f"column {column.name} holds {values.null_count} null(s); it may not",
                column=column.name,
            )
        arrays.append(values)
        fields.append(pa.field(column.name, values.type, nullable=column.nullable))
    lengths = {len(a) for a in arrays}
    if len(lengths) > 1:
        raise ContractError(spec.name, f"columns differ in length: {sorted(lengths)}")
    schema = pa.schema(fields, metadata={"doc": spec.description})
    return pa.Table.from_arrays(arrays, schema=schema)


def _from_rows(spec: Table, column: Column, values: list[Any]) -> pa.Array:
    try:
        return pa.array(values, type=column.type)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as error:
        raise ContractError(
            spec.name,
            f"column {column.name}: a value is not {NAMES.get(kind(column.type))} "
            f"({column.type}): {error}",
            column=column.name,
        ) from None


def _array(spec: Table, column: Column, value: Any) -> pa.Array | pa.ChunkedArray:
    try:
        array = value if isinstance(value, _ANY_ARRAY) else pa.array(value)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError) as error:
        raise ContractError(
            spec.name, f"column {column.name}: not an array ({error})", column=column.name
        ) from None
    given, target = array.type, column.type
    if given == target:
        return array
    if not writable(given, target):
        raise ContractError(
            spec.name,
            f"column {column.name} is {given}, expected {NAMES.get(kind(target))} ({target})",
            column=column.name,
        )
    if pa.types.is_dictionary(given) and not pa.types.is_dictionary(target):
        if given.value_type == target:
            return array  # dictionary encoding is the producer's choice of storage
    elif pa.types.is_dictionary(target) and not pa.types.is_null(given):
        array = pc.dictionary_encode(array.cast(target.value_type))
    try:
        return array.cast(target, safe=True)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise ContractError(
            spec.name,
            f"column {column.name} cannot be written as {target} ({error})",
            column=column.name,
        ) from None


def write_table(run_dir: Path, table: Table | str, data: Data, **options: Any) -> Path:
    """Write ``data`` as ``run_dir/<table>.parquet`` through `conform`; returns the path.

    ``options`` go to `pyarrow.parquet.write_table` (e.g. ``compression="snappy"``).

    Example::

        write_table(run_dir, "erp/items", [{"sku": "A-1", "unit_price_minor": 199}])
    """
    spec = _spec(table)
    path = Path(run_dir) / spec.file
    conformed = conform(spec, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(conformed, path, **options)
    return path


class TableWriter:
    """Streams one table in chunks (row groups) through `conform`; a context manager.

    Every chunk must carry the same columns. ``options`` go to
    `pyarrow.parquet.ParquetWriter` (compression, dictionary and statistics choices).
    """

    def __init__(self, run_dir: Path, table: Table | str, **options: Any) -> None:
        self.spec = _spec(table)
        self.path = Path(run_dir) / self.spec.file
        self._options = options
        self._writer: pq.ParquetWriter | None = None

    def write(self, data: Data) -> None:
        """Conform ``data`` and append it as a row group (the first chunk opens the file)."""
        chunk = conform(self.spec, data)
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pq.ParquetWriter(self.path, chunk.schema, **self._options)
        elif not chunk.schema.equals(self._writer.schema, check_metadata=False):
            raise ContractError(self.spec.name, "a chunk's columns differ from the first chunk's")
        self._writer.write_table(chunk)

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
