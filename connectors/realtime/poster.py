"""Real-time posting: a dispatcher hands due outbox rows to a small pool of workers, each
row to exactly one worker; a worker posts one document at a time, or a share of a backlog
in one round of the ERP's batch path (`connectors.realtime.backlog`) when more than
``drain_at`` documents are due at once.

Per row: if an earlier attempt may have committed (``uncertain``), look the document up by
external document number first; POST; 201 → posted; 409 → confirm by lookup; other 4xx →
dead letter. Transient failures are retried with backoff + full jitter (Retry-After
honoured; once the ERP answers again every waiting row is due at once), and a row whose
outcome is unknown waits ``settle`` seconds (twice the request timeout) before its lookup,
so a request the ERP was still working on has landed; after the policy's attempts the row
is dead-lettered, and such transient dead letters are re-driven once the ERP answers
again (`connectors.realtime.outcomes`). While the ERP refuses work (no answer, 429, 503) a
shared breaker holds every worker back, so an outage does not burn attempts; while it is
tripped one row at a time goes out as a probe, and the first answer releases the rest.

A backlog is split into batches of about equal size, up to one per worker but one (that
worker keeps posting the documents that arrive meanwhile): the ERP works on them in
parallel, and a slow answer holds back a share of the backlog, not all of it. A batch the
ERP refuses as a request sends the posters back to single documents for
`SINGLES_AFTER_REFUSAL` seconds.
"""

from __future__ import annotations

import logging
import math
import queue
import random
import threading
import time
from collections.abc import Sequence

from connectors.core.http import Stopping, Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import Posting, StateStore
from connectors.erp import ErpAdapter
from connectors.realtime.backlog import BATCHED_KINDS, BacklogPoster, BatchRefused
from connectors.realtime.outcomes import Outcomes

log = logging.getLogger("connector.poster")

DRAIN_AT = 8
"""Documents due at once from which the posters send them through the batch path."""
SINGLES_AFTER_REFUSAL = 60.0
"""Seconds of single-document posting after the ERP refused a batch request as a whole."""

Job = Posting | list[Posting]
"""One row to post alone, or rows to post in one batch."""


class Poster:
    """The dispatcher thread and its workers."""

    def __init__(
        self,
        *,
        store: StateStore,
        erp: ErpAdapter,
        policy: RetryPolicy,
        workers: int,
        metrics: Metrics,
        stop: threading.Event,
        rng: random.Random,
        kinds: tuple[str, ...] = ("invoice", "credit_memo", "journal"),
        settle: float = 0.0,
        drain_at: int = DRAIN_AT,
        max_batch: int = 100,
    ) -> None:
        self.store = store
        self.erp = erp
        self.policy = policy
        self.metrics = metrics
        self.stop = stop
        self.kinds = kinds
        self.settle = settle
        self.drain_at = drain_at
        self.max_batch = max_batch
        self.wake = threading.Event()
        self.outcomes = Outcomes(
            store=store, policy=policy, metrics=metrics, rng=rng, settle=settle, wake=self.wake
        )
        self.backlog = BacklogPoster(store=store, erp=erp, outcomes=self.outcomes, metrics=metrics)
        self._batched = tuple(k for k in kinds if k in BATCHED_KINDS)
        self._parallel = max(1, workers - 1)
        self._in_flight = 0
        self._slots_lock = threading.Lock()
        self._singles_until = 0.0
        self._probe = threading.Event()
        self._queue: queue.Queue[Job | None] = queue.Queue(maxsize=workers)
        self._threads = [
            threading.Thread(target=self._work, name=f"poster-{i}", daemon=True)
            for i in range(workers)
        ]
        self._threads.append(threading.Thread(target=self._dispatch, name="dispatch", daemon=True))

    def start(self) -> None:
        """Start the dispatcher and the workers."""
        for thread in self._threads:
            thread.start()

    def join(self, timeout: float) -> None:
        """Wait for the threads after ``stop`` was set."""
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def jobs(self, rows: Sequence[Posting]) -> list[Job]:
        """Split claimed rows into jobs. When more than ``drain_at`` rows of the batch path
        are due, they go out as batches of about equal size, as many as there are free batch
        slots (``workers - 1``: one worker stays for new documents), each of at most
        ``max_batch`` operations; rows beyond them go back to the outbox. Every other row is
        a job alone. Counts the batches as in flight."""
        batchable = [r for r in rows if r.kind in self._batched]
        slots = self._free_slots()
        if not slots or len(batchable) <= self.drain_at:
            singles: list[Job] = []
            singles.extend(rows)
            return singles
        size = max(self.drain_at, math.ceil(len(batchable) / slots))
        chunks: list[list[Posting]] = []
        taken = 0
        while taken < len(batchable) and len(chunks) < slots:
            chunk = self._fit(batchable[taken : taken + size])
            taken += len(chunk)
            chunks.append(chunk)
        self.store.release(r.key for r in batchable[taken:])
        jobs: list[Job] = [chunk if len(chunk) > 1 else chunk[0] for chunk in chunks]
        with self._slots_lock:
            self._in_flight += sum(1 for job in jobs if isinstance(job, list))
        return [*jobs, *(r for r in rows if r.kind not in self._batched)]

    def _free_slots(self) -> int:
        """Batches that may start now."""
        if not self._batched or self.drain_at <= 0 or time.monotonic() < self._singles_until:
            return 0
        with self._slots_lock:
            return max(0, self._parallel - self._in_flight)

    def _fit(self, rows: Sequence[Posting]) -> list[Posting]:
        """The leading rows whose operations (with reversals) fit one batch."""
        used = 0
        for index, row in enumerate(rows):
            used += 1 + len(row.extra.get("reversals") or [])
            if used > self.max_batch and index > 0:
                return list(rows[:index])
        return list(rows)

    def _claim(self) -> list[Posting]:
        limit = self._queue.maxsize
        if self._free_slots():
            limit = max(limit, self.max_batch)
        return self.store.claim(limit, kinds=self.kinds)

    def _dispatch(self) -> None:
        try:
            while not self.stop.is_set():
                breaker = self.outcomes.breaker
                pause = breaker.wait_time()
                if pause > 0:
                    self.stop.wait(pause)
                    continue
                probing = breaker.tripped()
                if probing and self._probe.is_set():
                    self.wake.wait(0.05)
                    self.wake.clear()
                    continue
                rows = self.store.claim(1, kinds=self.kinds) if probing else self._claim()
                if not rows:
                    self.wake.wait(0.1)
                    self.wake.clear()
                    continue
                if probing:
                    self._probe.set()
                jobs = list[Job](rows) if probing else self.jobs(rows)
                for index, job in enumerate(jobs):
                    while not self.stop.is_set():
                        try:
                            self._queue.put(job, timeout=0.2)
                            break
                        except queue.Full:
                            continue
                    else:
                        self.store.release(r.key for j in jobs[index:] for r in _rows(j))
                        return
        finally:
            for _ in range(len(self._threads) - 1):
                try:
                    self._queue.put_nowait(None)
                except queue.Full:
                    break

    def _work(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=0.2)
            except queue.Empty:
                if self.stop.is_set():
                    return
                continue
            if job is None:
                return
            try:
                self._run(job)
            finally:
                if isinstance(job, list):
                    with self._slots_lock:
                        self._in_flight -= 1
                self._probe.clear()
                self.wake.set()

    def _run(self, job: Job) -> None:
        rows = _rows(job)
        if self.stop.is_set():
            self.store.release([r.key for r in rows])
            return
        try:
            if isinstance(job, list):
                self.post_batch(job)
            else:
                self.post(job)
        except Stopping:
            self.store.release([r.key for r in rows], uncertain=True)
        except Exception as error:
            log.exception("posting %s failed unexpectedly", ", ".join(r.key for r in rows))
            for row in rows:
                self.store.dead(row.key, f"unexpected: {error}", transient=True, uncertain=True)

    def post_batch(self, rows: list[Posting]) -> None:
        """Post rows through the batch path (see `connectors.realtime.backlog`)."""
        try:
            self.backlog.post(rows)
        except BatchRefused as refusal:
            self._singles_until = time.monotonic() + SINGLES_AFTER_REFUSAL
            log.warning(
                "the ERP refused a batch; posting one document at a time for %.0f s: %s",
                SINGLES_AFTER_REFUSAL,
                str(refusal)[:300],
            )

    def post(self, row: Posting) -> None:
        """Post one row (see the module docstring)."""
        outcomes = self.outcomes
        try:
            if row.uncertain:
                found = self.erp.find(row)
                if found is not None:
                    outcomes.done(row, found)
                    return
            answer = self.erp.create(row)
        except Transient as failure:
            outcomes.failed(row, failure)
            return
        if answer.ok:
            outcomes.done(row, answer.erp_id)
            return
        if answer.status == 429 or answer.status >= 500:
            outcomes.failed(row, Transient(answer.status, False, None, answer.detail))
            return
        if answer.status == 409:
            try:
                found = self.erp.find(row)
            except Transient as failure:
                outcomes.failed(row, failure, uncertain=True)
                return
            if found is not None:
                outcomes.done(row, found)
                return
        outcomes.refused(row, answer)


def _rows(job: Job) -> list[Posting]:
    return job if isinstance(job, list) else [job]
