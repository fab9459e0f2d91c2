"""`Outcome`: what an engine hands back, and `Recorder`, the bookkeeping both engines share.

The recorder owns the connector's reaction to an answer (commit, conflict, retry with
backoff, park in the dead-letter queue), so the fast path and the SimPy model differ only
in how they order events in time.

**Calls per document, as the reference connectors make them.** With ``erp.posting: draft``
(Business Central) a document takes two calls: the draft is created (``CREATE``), then
posted by its bound action (``POST``) at once by the same worker; a ``$batch`` of drafts
(batch mode) is followed by a ``$batch`` of post actions. Hybrid journals are final when
created (one call). After a failure that may have written something (an error answered
after the ERP worked on the request) the connector looks the document up (``LOOKUP``, a
GET or a ``$batch`` of GETs) before it sends the step again; a refusal at the door (429,
503) wrote nothing and is simply sent again. A post refused for now keeps its draft: only
the post is sent again.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from numpy.typing import NDArray

from simulator.integration.config import ModelConfig
from simulator.integration.erp import CONFLICT, OK, TOO_MANY, ErpDoor, backoff
from simulator.integration.stream import DocStream

__all__ = ["CONTINUE", "CREATE", "LOOKUP", "POST", "PRIME", "STEPS", "Outcome", "Recorder"]

F64 = NDArray[np.float64]
PRIME = 7919
"""stride between the draws of successive attempts of one request"""
_STEP_STRIDE = 104_729
"""stride between the draws of the steps (create, post, look-up) of one attempt"""

CREATE, POST, LOOKUP = 0, 1, 2
STEPS = ("create", "post", "lookup")
CONTINUE = 1
"""what `Recorder.answer` returns when the same worker sends the request's next step now"""


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
    req_service: F64
    """ERP work of each request (0 for requests refused at the door)"""
    retry_t: F64
    dead_t: F64
    busy_s: float
    """ERP slot-seconds of work"""
    end_t: float
    """when the last request finished"""
    window_429: int = 0
    """429s because the request window was full"""
    queue_429: int = 0
    """429s because every ERP slot was busy and its queue full"""
    window_peak: int = 0
    """most requests admitted within one sliding window"""
    req_step: NDArray[np.int8] | None = None
    """CREATE, POST or LOOKUP per request"""


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
        self.z: list[float] = stream.z.tolist()
        self.u: list[float] = stream.u.tolist()
        self._origin = stream.origin.tolist()
        self.log: list[tuple[float, float, int, int, float, int]] = []
        """(sent, answered, status, request, service, step) per request"""
        self.two_step = config.posting == "draft"
        self._batch_two_step = self.two_step and config.mode == "batch"
        self.step: dict[int, int] = {}
        """the step request r sends next (absent: CREATE)"""
        self._then: dict[int, int] = {}
        """the step after a look-up"""
        self._unsure: set[int] = set()
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

    def draws(self, r: int) -> tuple[float, float]:
        """(z, u) of request ``r``'s current attempt and step: service noise, fault share."""
        n = self.n
        first = r if r < n else self.batches[r - n][0]
        i = (first + self.attempt.get(r, 0) * PRIME + self.step.get(r, 0) * _STEP_STRIDE) % n
        return self.z[i], self.u[i]

    def jitter(self, r: int) -> float:
        """The uniform draw for the backoff jitter of request ``r``'s current attempt."""
        n = self.n
        first = r if r < n else self.batches[r - n][0]
        return self.u[(first + self.attempt.get(r, 0) * PRIME + 1) % n]

    def answer(self, r: int, a: float, end: float, status: int, service: float = 0.0) -> int:
        """Record the answer to ``r`` sent at ``a`` after ``service`` seconds of ERP work;
        returns the final status (409 on a duplicate the ERP rejects).

        A document whose original already committed is never committed twice: the ERP
        refuses it (``duplicates: reject``), or, where the ERP would accept it, the connector
        looked it up before posting again and found it, as the reference connectors do (the
        request then stands for that look-up)."""
        step = self.step.get(r, CREATE)
        if end > self.end_t:
            self.end_t = end
        if status != OK:
            if service > 0:
                self._unsure.add(r)  # the ERP worked on it: look before sending it again
            self.log.append((a, end, status, r, service, step))
            return status
        if step == LOOKUP:
            self.step[r] = self._then.pop(r, CREATE)
            self.log.append((a, end, 200, r, service, step))
            return CONTINUE
        if r < self.n:
            o = self._origin[r]
            if self._done[o]:
                if self.config.duplicates == "reject" and step == CREATE:
                    status = CONFLICT
                self.step.pop(r, None)
                self.log.append((a, end, status, r, service, step))
                return status
            if step == CREATE and self.two_step:
                self.step[r] = POST
                self.log.append((a, end, status, r, service, step))
                return CONTINUE
            self._done[o] = True
            self.committed[o] = end
        else:
            if step == CREATE and self._batch_two_step:
                self.step[r] = POST
                self.log.append((a, end, status, r, service, step))
                return CONTINUE
            docs = self.batches[r - self.n]
            for d in docs:
                self._done[d] = True
            self.committed[docs] = end
        self.step.pop(r, None)
        self.log.append((a, end, status, r, service, step))
        return status

    def retry_in(self, r: int, now: float, status: int, retry_after: float) -> float:
        """Seconds until ``r`` is tried again after a failure (counts retries and parks)."""
        k = self.attempt.get(r, 0) + 1
        jitter = self.jitter(r)
        if r in self._unsure:
            self._unsure.discard(r)
            step = self.step.get(r, CREATE)
            if step != LOOKUP:
                self._then[r] = step
                self.step[r] = LOOKUP
        if k >= self.config.attempts:
            self.attempt[r] = 0
            self.dead_t.append(now)
            return self.config.park_s
        self.attempt[r] = k
        self.retry_t.append(now)
        wait = backoff(self.config, k, jitter)
        return max(wait, retry_after) if status == TOO_MANY else wait

    def outcome(self, door: ErpDoor | None = None) -> Outcome:
        log = np.array(self.log, dtype=np.float64).reshape(-1, 6)
        r = log[:, 3].astype(np.int64)
        batch = r >= self.n
        sizes = np.array([len(b) for b in self.batches] or [0], dtype=np.int32)
        firsts = np.array([b[0] for b in self.batches] or [0], dtype=np.int64)
        slot = np.where(batch, r - self.n, 0)
        return Outcome(
            committed=self.committed,
            req_t=log[:, 0].copy(),
            req_latency=log[:, 1] - log[:, 0],
            req_status=log[:, 2].astype(np.int16),
            req_ops=np.where(batch, sizes[slot], 1).astype(np.int32),
            req_batch=batch,
            req_doc=np.where(batch, firsts[slot], r),
            req_service=log[:, 4].copy(),
            retry_t=np.array(self.retry_t),
            dead_t=np.array(self.dead_t),
            busy_s=self.busy_s,
            end_t=self.end_t,
            window_429=0 if door is None else door.window_refusals,
            queue_429=0 if door is None else door.queue_refusals,
            window_peak=0 if door is None else door.window_peak,
            req_step=log[:, 5].astype(np.int8),
        )
