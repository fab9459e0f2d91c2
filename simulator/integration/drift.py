"""Integration drift (ERP book − POS book) over time, vectorised from commit times.

Every stock-moving line moves the POS book at its document's completion and the ERP book
when that document commits; between the two the pair (store, SKU) is off by the line's
quantity. On a grid of sample times (``step`` seconds) this module computes, exactly and
for every pair: the sum of |drift| in units, the number of pairs off and the largest
|drift|; and, for a bounded set of pairs (`MAX_CELLS` pair-samples, the busiest pairs
first), both books, written as ``samples/stock.parquet`` rows.

**Oversell exposure** at time t: the units the ERP shows as available at pairs whose POS
book is already at or below zero — what an online channel that trusts the ERP's stock
could sell that no store has. Reported per sample and as its peak.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from simulator.integration.errors import IntegrationError
from simulator.integration.stream import DocStream

__all__ = ["MAX_CELLS", "Drift", "StockMoves", "drift_series", "load_moves"]

MAX_CELLS = 2_000_000
"""pair × sample rows kept in samples/stock.parquet"""

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class StockMoves:
    """Stock-moving lines: pair, signed POS quantity, document; and each pair's base."""

    pair: I64
    delta: I64
    t: F64
    doc: I64
    base_pair: I64
    """pairs with an initial stock"""
    base_qty: I64
    receipt_pair: I64
    receipt_t: F64
    receipt_qty: I64
    store_ids: list[str]
    sku_ids: list[str]
    candidates: I64
    """pairs whose POS book may reach zero (sold ≥ initial)"""
    line_no: I64
    quantity: I64
    unit_price: I64
    discount: I64
    tax_rate: F64


def _codes(column: pa.ChunkedArray) -> tuple[I64, list[str]]:
    """Integer codes and their vocabulary, from dictionary columns without decoding."""
    if pa.types.is_dictionary(column.type):
        column = pa.chunked_array(
            pa.Table.from_arrays([column], ["c"]).unify_dictionaries()["c"].chunks,
            type=column.type,
        )
        chunks = column.chunks
        if not chunks:
            return np.zeros(0, dtype=np.int64), []
        indices = np.concatenate(
            [c.indices.to_numpy(zero_copy_only=False).astype(np.int64) for c in chunks]
        )
        return indices, [str(v) for v in chunks[0].dictionary.to_pylist()]
    encoded = column.combine_chunks().dictionary_encode()
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), [
        str(v) for v in encoded.dictionary.to_pylist()
    ]


def load_moves(run_dir: Path, stream: DocStream) -> StockMoves:
    """Read lines, transactions, stock movements and final stock of a run's truth tables."""
    truth = Path(run_dir) / "truth"
    final = pq.read_table(
        truth / "stock_final.parquet", columns=["store_id", "sku", "initial", "sold"]
    )
    store_codes, store_ids = _codes(final["store_id"])
    sku_codes, sku_ids = _codes(final["sku"])
    store_at = {s: i for i, s in enumerate(store_ids)}
    sku_at = {s: i for i, s in enumerate(sku_ids)}
    n_sku = len(sku_ids)

    def pairs(table: pa.Table) -> I64:
        st, st_ids = _codes(table["store_id"])
        sk, sk_ids = _codes(table["sku"])
        st_map = np.array([store_at[s] for s in st_ids], dtype=np.int64)
        sk_map = np.array([sku_at[s] for s in sk_ids], dtype=np.int64)
        if not len(st):
            return np.zeros(0, dtype=np.int64)
        return np.asarray(st_map[st] * n_sku + sk_map[sk])

    lines = pq.read_table(
        truth / "lines.parquet",
        columns=[
            "txn_id",
            "line_no",
            "store_id",
            "sku",
            "quantity",
            "unit_price_minor",
            "discount_minor",
            "voided",
        ],
    )
    lines = lines.filter(pa.array(~lines["voided"].to_numpy(zero_copy_only=False)))
    txns = pq.read_table(
        truth / "transactions.parquet", columns=["txn_id", "kind", "original_txn_id"]
    )
    if stream.txn_row is None:
        raise IntegrationError("drift needs a stream read from truth tables (load_stream)")
    row = pc.index_in(lines["txn_id"], value_set=txns["txn_id"]).to_numpy(zero_copy_only=False)
    row = np.nan_to_num(row.astype(np.float64), nan=-1).astype(np.int64)
    doc_of_row = np.full(len(txns) + 1, -1, dtype=np.int64)
    doc_of_row[stream.txn_row] = np.arange(len(stream.txn_row))
    docs = doc_of_row[row]
    own = docs >= 0
    line_pairs = pairs(lines)
    qty = lines["quantity"].to_numpy().astype(np.int64)
    sign = np.where(stream.kind[np.maximum(docs, 0)] == 0, -1, 1)
    kind = pc.cast(txns["kind"], pa.string()).to_numpy(zero_copy_only=False)
    pv_rows = np.flatnonzero(kind == "post_void")
    originals = pc.index_in(
        txns["original_txn_id"].take(pa.array(pv_rows)), value_set=txns["txn_id"]
    ).to_numpy(zero_copy_only=False)
    found = ~np.isnan(originals.astype(np.float64))
    reverser = np.full(len(txns) + 1, -1, dtype=np.int64)
    reverser[originals[found].astype(np.int64)] = doc_of_row[pv_rows[found]]
    pv_docs = reverser[row]
    reversed_ = pv_docs >= 0
    pair = np.concatenate([line_pairs[own], line_pairs[reversed_]])
    delta = np.concatenate([(sign * qty)[own], qty[reversed_]])
    doc = np.concatenate([docs[own], pv_docs[reversed_]])

    def both(name: str) -> I64:
        values = lines[name].to_numpy().astype(np.int64)
        return np.concatenate([values[own], values[reversed_]])

    catalog = pq.read_table(truth / "catalog.parquet", columns=["sku", "tax_rate"]).to_pydict()
    rate_of = dict(zip(catalog["sku"], catalog["tax_rate"], strict=True))
    sku_rate = np.array([float(rate_of.get(s, 0.0)) for s in sku_ids] or [0.0])
    moves = pq.read_table(truth / "stock_movements.parquet")
    receipts = moves.filter(pc.equal(pc.cast(moves["kind"], pa.string()), "RECEIPT"))
    base_pair = store_codes * n_sku + sku_codes
    initial = final["initial"].to_numpy().astype(np.int64)
    sold = final["sold"].to_numpy().astype(np.int64)
    return StockMoves(
        pair=pair,
        delta=delta,
        t=stream.t[doc],
        doc=doc,
        base_pair=base_pair,
        base_qty=initial,
        receipt_pair=pairs(receipts),
        receipt_t=receipts["t"].to_numpy(),
        receipt_qty=receipts["quantity"].to_numpy().astype(np.int64),
        store_ids=store_ids,
        sku_ids=sku_ids,
        candidates=base_pair[(sold >= initial) & (sold > 0)],
        line_no=both("line_no"),
        quantity=both("quantity"),
        unit_price=both("unit_price_minor"),
        discount=both("discount_minor"),
        tax_rate=sku_rate[pair % max(1, n_sku)],
    )


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Drift:
    """Drift per sample time (arrays of length G) and per-pair books for tracked pairs."""

    t: F64
    abs_units: I64
    pairs_off: I64
    max_abs: I64
    oversell_units: I64
    tracked: I64
    pos: I64
    """(tracked, G) POS book"""
    erp: I64


def _ceil_index(t: F64, step: float, g: int) -> I64:
    out = np.ceil(np.nan_to_num(t, nan=np.inf, posinf=g * step) / step)
    return np.minimum(out, g).astype(np.int64)


def _books(
    moves: StockMoves, gs: I64, ge: I64, chosen: I64, grid: int, step: float
) -> tuple[I64, I64]:
    """POS and ERP books of ``chosen`` pairs at every sample (shape (len(chosen), grid));
    ``gs``/``ge``: the sample index from which each move is in the POS / ERP book."""
    k = len(chosen)
    rank = np.full(
        int(
            max(chosen.max(initial=0), moves.pair.max(initial=0), moves.base_pair.max(initial=0))
            + 1
        ),
        -1,
        dtype=np.int64,
    )
    rank[chosen] = np.arange(k)
    width = grid + 1

    def add(pairs: I64, idx: I64, qty: I64) -> I64:
        r = rank[pairs]
        m = r >= 0
        flat = np.bincount(r[m] * width + idx[m], weights=qty[m], minlength=k * width)
        return np.cumsum(flat.reshape(k, width), axis=1)[:, :grid].astype(np.int64)

    zero = np.zeros(len(moves.base_pair), dtype=np.int64)
    base = add(moves.base_pair, zero, moves.base_qty) + add(
        moves.receipt_pair, _ceil_index(moves.receipt_t, step, grid), moves.receipt_qty
    )
    pos = base + add(moves.pair, gs, moves.delta)
    erp = base + add(moves.pair, ge, moves.delta)
    return pos, erp


def _sorted_events(pair: I64, g: I64, v: I64, grid: int) -> tuple[I64, I64, I64]:
    """Change points ordered by (pair, sample); one packed int64 sort when they fit."""
    g_bits = int(grid + 1).bit_length()
    p_bits = int(pair.max(initial=0)).bit_length()
    span = int(np.abs(v).max(initial=0))
    v_bits = (2 * span + 1).bit_length()
    if p_bits + g_bits + v_bits <= 62:
        packed = (pair << (g_bits + v_bits)) | (g << v_bits) | (v + span)
        packed.sort()
        v_mask, g_mask = (1 << v_bits) - 1, (1 << g_bits) - 1
        return (
            packed >> (g_bits + v_bits),
            (packed >> v_bits) & g_mask,
            (packed & v_mask) - span,
        )
    order = np.argsort(pair * (grid + 2) + g, kind="stable")
    return pair[order], g[order], v[order]


def drift_series(moves: StockMoves, committed: F64, *, step: float, horizon: float) -> Drift:
    """Drift aggregates on the grid 0, step, … up to the first sample ≥ horizon."""
    grid = int(np.ceil(horizon / step)) + 1
    gs = _ceil_index(moves.t, step, grid)
    ge = _ceil_index(committed[moves.doc], step, grid)
    live = ge > gs
    pair = np.concatenate([moves.pair[live], moves.pair[live]])
    g = np.concatenate([gs[live], ge[live]])
    v = np.concatenate([-moves.delta[live], moves.delta[live]])
    pair, g, v = _sorted_events(pair, g, v, grid)
    value = np.cumsum(v)
    new_pair = np.r_[True, pair[1:] != pair[:-1]]
    offset = np.maximum.accumulate(np.where(new_pair, np.arange(len(pair)), 0))
    before = np.r_[0, value[:-1]]
    value = value - before[offset] if len(value) else value
    last = np.r_[pair[1:] != pair[:-1], True] if len(pair) else np.zeros(0, dtype=np.bool_)
    g_to = np.r_[g[1:], grid] if len(g) else g
    g_to = np.where(last, grid, g_to)
    seg = (value != 0) & (g_to > g)
    a, b, mag = g[seg], g_to[seg], np.abs(value[seg])

    def spread(weights: I64) -> I64:
        diff = np.bincount(a, weights=weights, minlength=grid + 1) - np.bincount(
            b, weights=weights, minlength=grid + 1
        )
        return np.cumsum(diff)[:grid].astype(np.int64)

    present = np.bincount(mag) > 0 if len(mag) else np.zeros(0, dtype=np.bool_)
    levels = np.flatnonzero(present)
    lookup = np.cumsum(present) - 1
    level_of = lookup[mag] if len(mag) else mag
    if len(levels):
        width = grid + 1
        cover = np.bincount(level_of * width + a, minlength=len(levels) * width) - np.bincount(
            level_of * width + b, minlength=len(levels) * width
        )
        cover = np.cumsum(cover.reshape(len(levels), width), axis=1)[:, :grid]
        any_at = np.cumsum(cover[::-1] > 0, axis=0)[::-1] > 0
        top = any_at.sum(axis=0) - 1
        max_abs = np.where(top >= 0, levels[np.maximum(top, 0)], 0).astype(np.int64)
    else:
        max_abs = np.zeros(grid, dtype=np.int64)

    budget = max(1, MAX_CELLS // grid)
    candidates = np.unique(moves.candidates)
    oversell = np.zeros(grid, dtype=np.int64)
    for lo in range(0, len(candidates), budget):
        pos, erp = _books(moves, gs, ge, candidates[lo : lo + budget], grid, step)
        oversell += np.where(pos <= 0, np.maximum(erp, 0), 0).sum(axis=0)
    counts = np.bincount(moves.pair, minlength=1)
    busiest = np.argsort(-counts, kind="stable")[: min(budget, np.count_nonzero(counts))]
    tracked = np.sort(busiest)
    pos, erp = _books(moves, gs, ge, tracked, grid, step)
    return Drift(
        t=np.arange(grid, dtype=np.float64) * step,
        abs_units=spread(mag),
        pairs_off=spread(np.ones(len(mag), dtype=np.int64)),
        max_abs=max_abs,
        oversell_units=oversell,
        tracked=tracked,
        pos=pos,
        erp=erp,
    )
