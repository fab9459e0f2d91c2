"""A time-ordered stream of POS events for live runs (the driver paces it by ``speed``).

Each simulated day is run through the fast path in memory (all batches of stores), its
documents sorted by the time the POS sees them, and yielded one by one as `PosEvent`s
carrying the rebuilt `domain` document (sale, return, cancel or post-void with its lines
and tenders). A day's Arrow tables are in memory at a time; `domain` objects are built a
few thousand at a time, as the stream is consumed. Documents completing after midnight
(queues, post-voids) are held back and merged into the next day's stream.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Generator, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from simulator.documents import Document, build_documents
from simulator.engine import RunState
from simulator.params import Params
from simulator.traffic import iter_chunks
from simulator.world import build_world_from_params

__all__ = ["PosEvent", "iter_events"]


@dataclasses.dataclass(frozen=True, slots=True)
class PosEvent:
    """Something the POS saw: ``kind`` is sale, return, cancel or post_void."""

    kind: str
    t: float
    """seconds since the scenario start"""
    at: dt.datetime
    """local wall time in the scenario's time zone"""
    txn_id: str
    store_id: str
    document: Document


def iter_events(scenario: Any, *, seed: int | None = None) -> Iterator[PosEvent]:
    """Every POS document of the scenario in completion-time order (same truth as
    `simulate_traffic` with the same seed)."""
    params = Params.from_scenario(scenario, seed=seed)
    world = build_world_from_params(params)
    state = RunState.create(world)
    rates = {tc.name: tc.rate for tc in params.tax_classes}
    pending: list[dict[str, pa.Table]] = []
    current_day = 0
    for day, chunk in iter_chunks(world, state):
        if day != current_day:
            carry = yield from _day_events(pending, rates, params, params.day_start_t(day))
            pending = [carry]
        current_day = day
        pending.append(chunk.tables)
    yield from _day_events(pending, rates, params, float("inf"))


def _day_events(
    chunks: list[dict[str, pa.Table]], rates: dict[str, Any], params: Params, until_t: float
) -> Generator[PosEvent, None, dict[str, pa.Table]]:
    """Yield documents completed before ``until_t``; return the rest for the next day."""
    tx = pa.concat_tables([c["transactions"] for c in chunks])
    tx = tx.take(pc.sort_indices(tx, [("t", "ascending"), ("txn_id", "ascending")]))
    lines = pa.concat_tables([c["lines"] for c in chunks])
    tenders = pa.concat_tables([c["tenders"] for c in chunks])
    now = pc.less(tx.column("t"), until_t)
    later = tx.filter(pc.invert(now))
    current = tx.filter(now)
    line_rows = _grouped(lines, current)
    tender_rows = _grouped(tenders, current)
    for lo in range(0, current.num_rows, _SLICE):
        hi = min(lo + _SLICE, current.num_rows)
        for row, doc in build_documents(
            current.slice(lo, hi - lo),
            line_rows.rows(lo, hi),
            tender_rows.rows(lo, hi),
            tax_rates=rates,
            tax_rounding=params.tax_rounding,
            rounding=params.rounding,
        ):
            yield PosEvent(
                row["kind"], row["t"], row["completed_at"], row["txn_id"], row["store_id"], doc
            )
    ids = later.column("txn_id")
    return {
        "transactions": later,
        "lines": lines.filter(pc.is_in(lines.column("txn_id"), ids)),
        "tenders": tenders.filter(pc.is_in(tenders.column("txn_id"), ids)),
    }


_SLICE = 4096
"""documents rebuilt at a time: bounds the Python objects alive while streaming"""


@dataclasses.dataclass(frozen=True, slots=True)
class _Grouped:
    """Rows of ``lines`` or ``tenders`` ordered by their document's position in a table."""

    table: pa.Table
    position: NDArray[np.int64]

    def rows(self, lo: int, hi: int) -> pa.Table:
        """The rows of the documents at positions ``lo`` to ``hi - 1``."""
        start, stop = np.searchsorted(self.position, [lo, hi])
        return self.table.slice(int(start), int(stop - start))


def _grouped(rows: pa.Table, documents: pa.Table) -> _Grouped:
    found = pc.index_in(rows.column("txn_id"), value_set=documents.column("txn_id"))
    position = found.to_numpy(zero_copy_only=False)
    position = np.where(np.isnan(position), -1, position).astype(np.int64)
    keep = np.flatnonzero(position >= 0)
    order = keep[np.argsort(position[keep], kind="stable")]
    return _Grouped(rows.take(pa.array(order)), position[order])
