"""The three stock ledgers: integration drift (ERP − POS), record inaccuracy (POS − physical).

Drift comes from ``samples/stock.parquet`` (the last sample is the end state); record
inaccuracy from the POS book at the end (last sample where sampled, else the simulator's
POS book) against the truth's physical stock. The two are never added together.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from reports._arrow import codes, floats, strings, vocabulary
from reports._verdict import DriftPoint, PairGap, StockGap

__all__ = ["EXAMPLES", "drift", "record_inaccuracy"]

EXAMPLES = 10
_TOLERANCE = 1e-9


def drift(samples: pa.Table) -> StockGap:
    """Integration drift at the last sample, and its series over every sample."""
    t = floats(samples, "t")
    vocab = vocabulary(samples.column("sample_id"))
    sample = codes(samples.column("sample_id"), vocab)
    pos = floats(samples, "pos_qty")
    erp = floats(samples, "erp_qty")
    readable = ~np.isnan(pos) & ~np.isnan(erp)
    gap = np.where(readable, erp - pos, 0.0)
    off = np.abs(gap) > _TOLERANCE
    size = len(vocab)
    start = np.full(size, np.inf)
    np.minimum.at(start, sample, t)
    pairs = np.bincount(sample, weights=readable, minlength=size)
    pairs_off = np.bincount(sample, weights=off, minlength=size)
    sum_abs = np.bincount(sample, weights=np.abs(gap), minlength=size)
    blind = np.bincount(sample, weights=~readable, minlength=size)
    order = np.argsort(start, kind="stable")
    series = [
        DriftPoint(
            t=float(start[i]),
            sum_abs=float(sum_abs[i]),
            pairs_off=int(pairs_off[i]),
            share_off=_share(pairs_off[i], pairs[i]),
            unreadable=int(blind[i]),
        )
        for i in order
    ]
    if not size:
        return StockGap(0, 0, 0.0, 0.0, 0.0, [], "samples/stock.parquet (empty)")
    last = sample == order[-1]
    end = samples.filter(pa.array(last & readable))
    end_gap = gap[last & readable]
    return StockGap(
        pairs=int(pairs[order[-1]]),
        pairs_off=int(pairs_off[order[-1]]),
        share_off=_share(pairs_off[order[-1]], pairs[order[-1]]),
        sum_abs=float(sum_abs[order[-1]]),
        max_abs=float(np.abs(end_gap).max(initial=0.0)),
        examples=_examples(strings(end, "store_id"), strings(end, "sku"), end_gap),
        source=f"samples/stock.parquet, last sample at t={start[order[-1]]:.0f} s: ERP − POS",
        unreadable=int((last & ~readable).sum()),
        series=series,
    )


def record_inaccuracy(stock_final: pa.Table, samples: pa.Table | None) -> StockGap:
    """POS book − physical per store × SKU at the end of the run."""
    keys = _keys(stock_final)
    physical = floats(stock_final, "physical")
    pos_book = floats(stock_final, "pos_book")
    sampled = 0
    if samples is not None and samples.num_rows:
        t = floats(samples, "t")
        sample = codes(samples.column("sample_id"), vocabulary(samples.column("sample_id")))
        end = samples.filter(pa.array(sample == sample[int(np.argmax(t))]))
        where = codes(keys, _keys(end))
        pos_end = floats(end, "pos_qty")
        found = where >= 0
        found[found] = ~np.isnan(pos_end[where[found]])
        pos_book[found] = pos_end[where[found]]
        sampled = int(found.sum())
    gap = pos_book - physical
    off = np.abs(gap) > _TOLERANCE
    return StockGap(
        pairs=len(gap),
        pairs_off=int(off.sum()),
        share_off=_share(off.sum(), len(gap)),
        sum_abs=float(np.abs(gap).sum()),
        max_abs=float(np.abs(gap).max(initial=0.0)),
        examples=_examples(strings(stock_final, "store_id"), strings(stock_final, "sku"), gap),
        source=(
            f"POS book from the last stock sample for {sampled} pairs, the simulator's POS "
            f"book for {len(gap) - sampled}; physical from truth/stock_final: POS − physical"
        ),
    )


def _keys(table: pa.Table) -> pa.Array:
    return pc.binary_join_element_wise(strings(table, "store_id"), strings(table, "sku"), "\x1f")


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole else 0.0


def _examples(stores: pa.Array, skus: pa.Array, gap: NDArray[np.float64]) -> list[PairGap]:
    off = np.flatnonzero(np.abs(gap) > _TOLERANCE)
    top = off[np.argsort(-np.abs(gap[off]), kind="stable")[:EXAMPLES]]
    chosen = pa.array(top, type=pa.int64())
    return [
        PairGap(store_id=str(store), sku=str(sku), value=float(value))
        for store, sku, value in zip(
            stores.take(chosen).to_pylist(), skus.take(chosen).to_pylist(), gap[top], strict=True
        )
    ]
