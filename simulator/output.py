"""Parquet output of the truth tables, written chunk by chunk so memory stays bounded.

One `domain.rundir.TableWriter` per table (each chunk checked against the contract);
every chunk (a day of a batch of stores) becomes a row group. Encoding and compression run
on a background thread (pyarrow releases the GIL), overlapping with the simulation of the
next chunk; the queue between them holds at most a couple of chunks. The files carry no
wall-clock metadata, so the same scenario and seed give byte-identical files.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from types import TracebackType

import pyarrow as pa

from domain.rundir import TableWriter
from domain.rundir import table as contract

__all__ = ["TruthWriter"]

COMPRESSION = "snappy"
_BACKLOG = 16
"""tables waiting for the writer thread (a chunk is six tables)"""


class TruthWriter:
    """Writes ``RUN/truth/<table>.parquet`` on a background thread; a context manager."""

    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        (run_dir / "truth").mkdir(parents=True, exist_ok=True)
        self._writers: dict[str, TableWriter] = {}
        self._queue: queue.Queue[tuple[str, pa.Table] | None] = queue.Queue(_BACKLOG)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="truth-writer", daemon=True)
        self._thread.start()

    def write(self, name: str, table: pa.Table) -> None:
        """Queue ``table`` for ``truth/<name>.parquet`` (blocks while the backlog is full)."""
        self._raise_if_failed()
        self._queue.put((name, table))

    def close(self) -> None:
        """Flush everything queued, close the files, and re-raise a writer failure."""
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        self._raise_if_failed()

    def _drain(self) -> None:
        while (item := self._queue.get()) is not None:
            if self._error is None:
                try:
                    self._write_now(*item)
                except BaseException as error:  # handed to the caller by close()/write()
                    self._error = error

    def _write_now(self, name: str, table: pa.Table) -> None:
        writer = self._writers.get(name)
        if writer is None:
            spec = contract(f"truth/{name}")
            schema = spec.schema
            writer = TableWriter(
                self.run_dir,
                spec,
                compression=COMPRESSION,
                use_dictionary=[f.name for f in schema if pa.types.is_dictionary(f.type)],
                write_statistics=[f.name for f in schema if _has_useful_stats(f.type)],
            )
            self._writers[name] = writer
        writer.write(table)

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

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
