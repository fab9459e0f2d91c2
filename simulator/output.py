"""Parquet output of the truth tables, written chunk by chunk so memory stays bounded.

One `pyarrow.parquet.ParquetWriter` per table; every chunk (a day of a batch of stores)
becomes a row group. The files carry no wall-clock metadata, so the same scenario and seed
give byte-identical files.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import pyarrow as pa
import pyarrow.parquet as pq

from domain.records import TABLES

__all__ = ["TruthWriter"]

COMPRESSION = "zstd"


class TruthWriter:
    """Writes ``DIR/<table>.parquet``; use as a context manager."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self._writers: dict[str, pq.ParquetWriter] = {}

    def write(self, name: str, table: pa.Table) -> None:
        writer = self._writers.get(name)
        if writer is None:
            schema = TABLES[name]
            encoded = [f.name for f in schema if pa.types.is_dictionary(f.type)]
            writer = pq.ParquetWriter(
                self.directory / f"{name}.parquet",
                schema,
                compression=COMPRESSION,
                use_dictionary=encoded,
                write_statistics=[f.name for f in schema if _has_useful_stats(f.type)],
            )
            self._writers[name] = writer
        writer.write_table(table)

    def close(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def __enter__(self) -> TruthWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _has_useful_stats(kind: pa.DataType) -> bool:
    """Min/max are worth their cost on numbers and times (row-group pruning), not strings."""
    return bool(
        pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_temporal(kind)
    )
