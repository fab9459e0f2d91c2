"""Refunds: what each return brings back, and the sample of sales returns can refer to.

A receipted return takes a line of an earlier sale of its store from the batch's
`simulator.returns.ReturnPool` (within the return window), some or all of its units, at the
price paid per unit; with no candidate it refers to a synthetic sale of the pre-period
(``<return id>-PRE``). An unreceipted return brings back a popular item at today's price.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from simulator.baskets import Lines
from simulator.receipts import txn_ids
from simulator.returns import SAMPLE_PER_STORE_DAY, ReturnPool
from simulator.world import World

__all__ = ["ReturnRefs", "reference_returns", "sample_for_returns"]

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


def sample_for_returns(
    rng: np.random.Generator,
    pool: ReturnPool,
    stores: slice,
    *,
    keep: NDArray[np.bool_],
    lines: Lines,
    line_no: I64,
    net: I64,
    store: I64,
    lane: I64,
    seq: I64,
    end: F64,
) -> ReturnPool:
    """Add a uniform sample of today's returnable sale lines to the batch's pool."""
    cand = np.flatnonzero(keep)
    share = min(1.0, SAMPLE_PER_STORE_DAY * (stores.stop - stores.start) / max(len(cand), 1))
    cand = cand[rng.random(len(cand)) < share]
    owner = lines.owner[cand]
    return pool.extended(
        t=end[owner],
        store=store[owner] - stores.start,
        lane=lane[owner],
        seq=seq[owner],
        line_no=line_no[cand],
        sku=lines.sku[cand],
        quantity=lines.quantity[cand],
        unit=net[cand] // lines.quantity[cand],
    )


@dataclasses.dataclass(slots=True)
class ReturnRefs:
    line: I64
    """positions of the return lines"""
    sku: I64
    quantity: I64
    unit: I64
    receipted: NDArray[np.bool_]
    """per customer"""
    original_pos: I64
    """positions of the lines that reference an original sale line"""
    original_ids: pa.StringArray
    original_line_no: I64
    """per line (0 where there is no reference)"""
    pool_hits: I64
    """pool index each return line took (``-1`` for none): to be removed from the pool"""


def reference_returns(
    rng: np.random.Generator,
    world: World,
    pool: ReturnPool,
    stores: slice,
    *,
    lines: Lines,
    ret_line: I64,
    store: I64,
    t: F64,
    ids: pa.StringArray,
) -> ReturnRefs:
    """What each return brings back: a line of an earlier sale, a pre-period sale, or an
    unreceipted item at today's price."""
    p, cat = world.params, world.catalog
    n = len(t)
    owner = lines.owner[ret_line]
    receipted = np.zeros(n, bool)
    receipted[owner] = rng.random(len(owner)) < p.receipted
    hit = np.full(len(ret_line), -1, np.int64)
    rec = receipted[owner]
    hit[rec] = pool.pick(rng, store[owner[rec]] - stores.start, t[owner[rec]], p.return_window_s)
    from_pool = hit >= 0
    h = hit[from_pool]
    sku = np.where(from_pool, pool.sku[np.maximum(hit, 0)], cat.alias.draw(rng, len(ret_line)))
    quantity = np.ones(len(ret_line), np.int64)
    quantity[from_pool] = 1 + np.floor(rng.random(len(h)) * pool.quantity[h]).astype(np.int64)
    unit = np.where(from_pool, pool.unit[np.maximum(hit, 0)], cat.price_minor[sku])
    original_line_no = np.zeros(len(lines.owner), np.int64)
    pooled = ret_line[from_pool]
    synthetic = ret_line[~from_pool & rec]
    original_line_no[pooled] = pool.line_no[h]
    original_line_no[synthetic] = 1
    pre = pc.take(ids, pa.array(lines.owner[synthetic], pa.int64()))
    return ReturnRefs(
        line=ret_line,
        sku=sku.astype(np.int64),
        quantity=quantity,
        unit=unit.astype(np.int64),
        receipted=receipted,
        original_pos=np.r_[pooled, synthetic].astype(np.int64),
        original_ids=pa.concat_arrays(
            [
                txn_ids(world, pool.lane[h], pool.seq[h]),
                pc.binary_join_element_wise(pre, "PRE", "-"),
            ]
        ),
        original_line_no=original_line_no,
        pool_hits=hit,
    )
