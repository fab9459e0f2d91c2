"""Receipts: the lines of each document, and receipt numbers per register.

Line voids are a scanned-then-voided copy of one of the customer's lines; a return gets one
line slot, filled once its receipt is found (`simulator.refunds`). Receipt numbers count
per register in completion order and continue from day to day:
``S0003-R02-000123`` is the 123rd document of register 2 of store 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from simulator.baskets import Lines
from simulator.kinds import RETURN
from simulator.params import Params
from simulator.world import World

__all__ = ["document_lines", "register_sequence", "txn_ids"]

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


def document_lines(
    rng: np.random.Generator, p: Params, lines: Lines, kind: I64
) -> tuple[Lines, NDArray[np.bool_], NDArray[np.bool_], I64, I64]:
    """Add line voids (a scanned-then-voided copy of a line) and one slot per return.

    Returns (lines grouped by customer, voided, is_return_line, line_no, lines per customer).
    """
    n = len(kind)
    counts = np.bincount(lines.owner, minlength=n)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    void_owner = np.flatnonzero((kind != RETURN) & (rng.random(n) < p.line_void) & (counts > 0))
    offset = np.floor(rng.random(len(void_owner)) * counts[void_owner]).astype(np.int64)
    pick = first[void_owner] + offset
    returns = np.flatnonzero(kind == RETURN)
    n_old, n_void, n_ret = len(lines.owner), len(void_owner), len(returns)
    merged = Lines(
        owner=np.r_[lines.owner, void_owner, returns],
        sku=np.r_[lines.sku, lines.sku[pick], np.zeros(n_ret, np.int64)],
        quantity=np.r_[lines.quantity, lines.quantity[pick], np.ones(n_ret, np.int64)],
        promo=np.r_[lines.promo, lines.promo[pick], np.zeros(n_ret, bool)],
    )
    voided = np.r_[np.zeros(n_old, bool), np.ones(n_void, bool), np.zeros(n_ret, bool)]
    is_return = np.r_[np.zeros(n_old + n_void, bool), np.ones(n_ret, bool)]
    order = np.argsort(merged.owner, kind="stable")
    merged = merged.take(order)
    counts = np.bincount(merged.owner, minlength=n)
    first = np.r_[0, np.cumsum(counts)[:-1]]
    line_no = np.arange(len(merged.owner)) - first[merged.owner] + 1
    return merged, voided[order], is_return[order], line_no, counts


def register_sequence(lane_seq: I64, lane: I64, end: F64) -> I64:
    """Receipt numbers: per register, in completion order, continuing the register's count."""
    n = len(lane)
    seq = np.empty(n, np.int64)
    by_lane = np.lexsort((end, lane))
    lanes_sorted = lane[by_lane]
    lane_first = np.r_[True, lanes_sorted[1:] != lanes_sorted[:-1]] if n else np.zeros(0, bool)
    starts_at = np.flatnonzero(lane_first)
    group = np.cumsum(lane_first) - 1
    seq[by_lane] = np.arange(n) - starts_at[group] + 1 + lane_seq[lanes_sorted]
    np.add.at(lane_seq, lane, 1)
    return seq


def txn_ids(
    world: World, lane: NDArray[np.signedinteger[Any]], seq: NDArray[np.signedinteger[Any]]
) -> pa.StringArray:
    registers = pc.take(world.vocab["lane_ids"], pa.array(lane))
    number = pc.utf8_lpad(pc.cast(pa.array(seq), pa.string()), width=6, padding="0")
    return pc.binary_join_element_wise(registers, number, "-")
