"""`Outcome`: what an engine hands back, and `Recorder`, the bookkeeping both engines share.

The recorder owns the connector's reaction to an answer (commit, conflict, retry with
backoff, park in the dead-letter queue), so the fast path and the SimPy model differ only
in how they order events in time.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from numpy.typing import NDArray

from simulator.integration.config import ModelConfig
from simulator.integration.erp import CONFLICT, OK, TOO_MANY, backoff
from simulator.integration.stream import DocStream

__all__ = ["Outcome", "Recorder"]

F64 = NDArray[np.float64]
_PRIME = 7919


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """Results of one model run (simulated seconds)."""

    committed: F64
    """when each document committed in the ERP (NaN: never; duplicates: only if posted twice)"""
    req_t: F64
    req_latency: F64
    req_status: NDArray[np.int16]
    req_ops: NDArray[np.int32]
    req_batch: NDArray[np.bool_]
    req_doc: NDArray[np.int64]
    """first document of each request"""
    retry_t: F64
    dead_t: F64
    busy_s: float
    """ERP slot-seconds of work"""
    end_t: float
    """when the last request finished"""


class Recorder:
    """Per-request state and the connector's reaction to answers."""

    def __init__(self, stream: DocStream, config: ModelConfig) -> None:
        self.stream, self.config = stream, config
        n = len(stream)
        self.n = n
        self.committed = np.full(n, np.nan)
        self._done = [False] * n
        self.batches: list[list[int]] = []
        self.attempt: dict[int, int] = {}
        self._z, self._u = stream.z.tolist(), stream.u.tolist()
        self._origin = stream.origin.tolist()
        self.t: list[float] = []
        self.latency: list[float] = []
        self.status: list[int] = []
        self.ops: list[int] = []
        self.batch: list[bool] = []
        self.doc: list[int] = []
        self.retry_t: list[float] = []
        self.dead_t: list[float] = []
        self.busy_s = 0.0
        self.end_t = 0.0

    def new_batch(self, docs: list[int]) -> int:
        """A request id (≥ n) for a ``$batch`` of ``docs``."""
        self.batches.append(docs)
        return self.n + len(self.batches) - 1

    def docs(self, r: int) -> list[int]:
        return [r] if r < self.n else self.batches[r - self.n]

    def draws(self, r: int) -> tuple[float, float, float]:
        """(z, u for faults, u for jitter) of request ``r``'s current attempt."""
        n = self.n
        first = r if r < n else self.batches[r - n][0]
        k = self.attempt.get(r, 0)
        i = (first + k * _PRIME) % n
        j = (first + k * _PRIME + 1) % n
        return self._z[i], self._u[i], self._u[j]

    def answer(self, r: int, a: float, end: float, status: int) -> int:
        """Record the answer to ``r`` sent at ``a``; returns the final status (409 on a
        duplicate the ERP rejects)."""
        docs = self.docs(r)
        if status == OK:
            if r < self.n:
                o = self._origin[r]
                if self._done[o]:
                    if self.config.duplicates == "reject":
                        status = CONFLICT
                    else:
                        self.committed[r] = end
                else:
                    self._done[o] = True
                    self.committed[o] = end
            else:
                for d in docs:
                    self._done[d] = True
                self.committed[docs] = end
        self.t.append(a)
        self.latency.append(end - a)
        self.status.append(status)
        self.ops.append(len(docs))
        self.batch.append(r >= self.n)
        self.doc.append(docs[0])
        self.end_t = max(self.end_t, end)
        return status

    def retry_in(self, r: int, now: float, status: int, retry_after: float) -> float:
        """Seconds until ``r`` is tried again after a failure (counts retries and parks)."""
        k = self.attempt.get(r, 0) + 1
        _, _, jitter = self.draws(r)
        if k >= self.config.attempts:
            self.attempt[r] = 0
            self.dead_t.append(now)
            return self.config.park_s
        self.attempt[r] = k
        self.retry_t.append(now)
        wait = backoff(self.config, k, jitter)
        return max(wait, retry_after) if status == TOO_MANY else wait

    def outcome(self) -> Outcome:
        return Outcome(
            committed=self.committed,
            req_t=np.array(self.t),
            req_latency=np.array(self.latency),
            req_status=np.array(self.status, dtype=np.int16),
            req_ops=np.array(self.ops, dtype=np.int32),
            req_batch=np.array(self.batch, dtype=np.bool_),
            req_doc=np.array(self.doc, dtype=np.int64),
            retry_t=np.array(self.retry_t),
            dead_t=np.array(self.dead_t),
            busy_s=self.busy_s,
            end_t=self.end_t if not math.isnan(self.end_t) else 0.0,
        )
