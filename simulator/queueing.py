"""Checkout queues: a FIFO multi-server line per lane type, run as an event loop.

One line per lane type (staffed registers, self-checkouts) feeding ``c`` identical servers
first come, first served — the model of a SimPy ``Resource(capacity=c)``. Instead of a
process per customer it keeps a heap of server-free times: customer *i* starts at
``max(arrival, earliest free)`` and frees that server at ``start + service``. The result is
identical, float for float, to the SimPy model in `benchmarks.naive_simpy` (tested), at a fraction
of the cost. `erlang_c_wait` is the M/M/c mean wait the long-run tests compare against.
"""

from __future__ import annotations

import heapq

import numpy as np
from numpy.typing import NDArray

__all__ = ["erlang_c_wait", "fifo_servers", "new_servers", "queue_lengths"]

F64 = NDArray[np.float64]


def new_servers(c: int, free_at: float = 0.0) -> list[tuple[float, int]]:
    """A heap of ``c`` servers, all free from ``free_at``."""
    return [(free_at, k) for k in range(c)]


def fifo_servers(
    arrivals: F64, services: F64, servers: list[tuple[float, int]]
) -> tuple[F64, F64, NDArray[np.int64]]:
    """Serve customers in arrival order; returns (starts, ends, server index).

    ``arrivals`` must be sorted; ``servers`` (from `new_servers`) is updated in place, so a
    later call continues where this one stopped (queues carry over midnight).
    """
    starts: list[float] = []
    which: list[int] = []
    start_append, which_append = starts.append, which.append
    replace = heapq.heapreplace
    for a, s in zip(arrivals.tolist(), services.tolist(), strict=True):
        free, k = servers[0]
        if a > free:
            free = a
        replace(servers, (free + s, k))
        start_append(free)
        which_append(k)
    start = np.array(starts, dtype=np.float64)
    return start, start + services, np.array(which, dtype=np.int64)


def queue_lengths(arrivals: F64, starts: F64) -> NDArray[np.int64]:
    """Customers waiting (not yet in service) when each customer arrives, FIFO line.

    Under FIFO, start times are non-decreasing in arrival order, so the earlier customers
    still waiting at ``arrivals[i]`` are those with ``start > arrivals[i]``.
    """
    index = np.arange(len(arrivals))
    started = np.minimum(np.searchsorted(starts, arrivals, side="right"), index)
    return np.asarray(index - started, dtype=np.int64)


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C): ``C(c, a) / (c·mu - lam)``."""
    a = lam / mu
    if a >= c:
        raise ValueError(f"erlang_c_wait: needs lam/mu < c for a stable queue, got {a:.3f} ≥ {c}")
    term, total = 1.0, 1.0
    for k in range(1, c):
        term *= a / k
        total += term
    last = term * a / c / (1 - a / c)
    prob_wait = last / (total + last)
    return prob_wait / (c * mu - lam)
