"""Checkout of a batch of stores: lane choice, service times, FIFO queues, cashiers.

Service time = fixed + per item × lines scanned (REFERENCE.md "Checkout time ≈ 40 s fixed
+ 3 s per item"), deterministic or exponential with that mean. Returns go to a staffed
register; sales pick self-checkout with the scenario's share (REFERENCE.md: 30%) when the
store has one. Each lane type is one FIFO line (`simulator.queueing`); the line's state
carries over from one day to the next.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from simulator.params import Params
from simulator.queueing import fifo_servers, new_servers, queue_lengths
from simulator.world import World

__all__ = ["Checkout", "run_checkout"]

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]


@dataclasses.dataclass(slots=True)
class Checkout:
    self_checkout: NDArray[np.bool_]
    start: F64
    end: F64
    lane: I64
    """global lane index (`World.lane_ids`)"""
    queue_length: I64
    cashier: I64
    """global cashier index (`World.cashier_ids`)"""


def service_times(rng: np.random.Generator, params: Params, n_lines: I64) -> F64:
    mean = params.service_fixed_s + params.service_per_item_s * n_lines
    if params.service_exponential:
        return np.asarray(rng.exponential(1.0, len(n_lines)) * mean, dtype=np.float64)
    return np.asarray(mean, dtype=np.float64)


def run_checkout(
    rng: np.random.Generator,
    world: World,
    servers: list[list[list[tuple[float, int]] | None]],
    *,
    store: I64,
    t: F64,
    is_return: NDArray[np.bool_],
    service: F64,
    midnight_t: float,
) -> Checkout:
    """Queue customers of a batch (``store`` is global, sorted by store then ``t``)."""
    p = world.params
    n = len(t)
    n_reg = world.n_registers[store]
    n_sco = world.n_self_checkouts[store]
    want_sco = (~is_return) & (rng.random(n) < p.self_checkout_share)
    sco = np.where(n_reg == 0, True, np.where(n_sco == 0, False, want_sco))

    start = np.empty(n)
    end = np.empty(n)
    server = np.empty(n, np.int64)
    qlen = np.empty(n, np.int64)
    order = np.lexsort((t, sco, store))
    g_store, g_sco = store[order], sco[order]
    change = (g_store[1:] != g_store[:-1]) | (g_sco[1:] != g_sco[:-1])
    edges = np.r_[np.flatnonzero(np.r_[True, change]), n] if n else np.zeros(0, np.int64)
    for lo, hi in zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True):
        idx = order[lo:hi]
        s, kind = int(g_store[lo]), int(g_sco[lo])
        heap = servers[s][kind]
        if heap is None:
            c = int(world.n_self_checkouts[s] if kind else world.n_registers[s])
            heap = servers[s][kind] = new_servers(c)
        a = t[idx]
        st, en, k = fifo_servers(a, service[idx], heap)
        start[idx], end[idx], server[idx] = st, en, k
        qlen[idx] = queue_lengths(a, st)

    lane = world.lane_offset[store] + np.where(sco, n_reg + server, server)
    open_mid = (p.open_s + p.close_s) / 2
    shift = ((start - midnight_t) >= open_mid).astype(np.int64)
    n_cash = world.n_cashiers[store]
    slot = np.where(sco, 2 * n_reg + shift, server + shift * n_reg)
    cashier = world.cashier_offset[store] + slot % n_cash
    return Checkout(sco, start, end, lane.astype(np.int64), qlen, cashier.astype(np.int64))
