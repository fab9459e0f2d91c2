"""Real-time posting: a dispatcher hands due outbox rows to a small pool of workers, each
row to exactly one worker, and each worker posts one document at a time.

Per row: if an earlier attempt may have committed (``uncertain``), look the document up by
external document number first; POST; 201 → posted; 409 → confirm by lookup; other 4xx →
dead letter. Transient failures are retried with backoff + full jitter (Retry-After
honoured; once the ERP answers again every waiting row is due at once), and a row whose
outcome is unknown waits ``settle`` seconds (twice the request
timeout) before its lookup, so a request the ERP was still working on has landed; after the
policy's attempts the row is dead-lettered, and such transient dead
letters are re-driven once the ERP answers again. While the ERP refuses work (no answer,
429, 503) a shared breaker holds every worker back, so an outage does not burn attempts.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
import time

from connectors.core.http import Stopping, Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import Posting, StateStore
from connectors.erp import Answer, ErpAdapter

log = logging.getLogger("connector.poster")


PROBE_DOUBLINGS = 4


class Breaker:
    """Shared back-off while the ERP is unavailable."""

    def __init__(self, policy: RetryPolicy, rng: random.Random) -> None:
        self._policy = policy
        self._rng = rng
        self._lock = threading.Lock()
        self._failures = 0
        self._until = 0.0

    def trip(self, retry_after: float | None) -> None:
        """One more refusal: hold everyone back a little longer (the pause stops growing
        after `PROBE_DOUBLINGS`, so a recovered ERP is noticed within base × 2**4)."""
        with self._lock:
            wait = self._policy.delay(min(self._failures, PROBE_DOUBLINGS), self._rng, retry_after)
            self._failures += 1
            self._until = max(self._until, time.monotonic() + wait)

    def reset(self) -> bool:
        """A success; True when the breaker had been tripped."""
        with self._lock:
            was = self._failures > 0
            self._failures = 0
            self._until = 0.0
            return was

    def wait_time(self) -> float:
        """Seconds until work may go out again."""
        with self._lock:
            return max(0.0, self._until - time.monotonic())


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
    ) -> None:
        self.store = store
        self.erp = erp
        self.policy = policy
        self.metrics = metrics
        self.stop = stop
        self.kinds = kinds
        self.settle = settle
        self.wake = threading.Event()
        self._rng = rng
        self._rng_lock = threading.Lock()
        self._breaker = Breaker(policy, random.Random(rng.random()))
        self._queue: queue.Queue[Posting | None] = queue.Queue(maxsize=workers)
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

    def _dispatch(self) -> None:
        try:
            while not self.stop.is_set():
                pause = self._breaker.wait_time()
                if pause > 0:
                    self.stop.wait(pause)
                    continue
                rows = self.store.claim(self._queue.maxsize, kinds=self.kinds)
                if not rows:
                    self.wake.wait(0.1)
                    self.wake.clear()
                    continue
                for index, row in enumerate(rows):
                    while not self.stop.is_set():
                        try:
                            self._queue.put(row, timeout=0.2)
                            break
                        except queue.Full:
                            continue
                    else:
                        self.store.release(r.key for r in rows[index:])
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
                row = self._queue.get(timeout=0.2)
            except queue.Empty:
                if self.stop.is_set():
                    return
                continue
            if row is None:
                return
            if self.stop.is_set():
                self.store.release([row.key])
                continue
            try:
                self.post(row)
            except Stopping:
                self.store.release([row.key], uncertain=True)
            except Exception as error:
                log.exception("posting %s failed unexpectedly", row.key)
                self.store.dead(row.key, f"unexpected: {error}", transient=True, uncertain=True)

    def post(self, row: Posting) -> None:
        """Post one row (see the module docstring)."""
        try:
            if row.uncertain:
                found = self.erp.find(row)
                if found is not None:
                    self._done(row, found)
                    return
            answer = self.erp.create(row)
        except Transient as failure:
            self._failed(row, failure)
            return
        if answer.ok:
            self._done(row, answer.erp_id)
            return
        if answer.status == 429 or answer.status >= 500:
            self._failed(row, Transient(answer.status, False, None, answer.detail))
            return
        if answer.status == 409:
            try:
                found = self.erp.find(row)
            except Transient as failure:
                self._failed(row, failure, uncertain=True)
                return
            if found is not None:
                self._done(row, found)
                return
        self._refused(row, answer)

    def _refused(self, row: Posting, answer: Answer) -> None:
        detail = answer.detail or f"{answer.status}: refused by the ERP"
        log.error("dead letter %s: %s", row.key, detail)
        self.store.dead(row.key, detail, transient=False)
        self.metrics.add("dead_letters")

    def _done(self, row: Posting, erp_id: str | None) -> None:
        self.store.posted(row.key, erp_id or None)
        self.metrics.add("posted")
        if self._breaker.reset():
            revived = self.store.redrive()
            due = self.store.due_now()
            log.info("ERP answers again: %d dead letters re-driven, %d retries due", revived, due)
            self.wake.set()

    def _failed(self, row: Posting, failure: Transient, *, uncertain: bool = False) -> None:
        unsure = uncertain or row.uncertain or failure.applied_unknown
        refused = failure.status in (0, 429, 503) or failure.status >= 500
        if refused:
            self._breaker.trip(failure.retry_after)
        self.metrics.add("retries")
        if row.attempts + 1 >= self.policy.attempts:
            log.error("dead letter %s after %d attempts: %s", row.key, row.attempts + 1, failure)
            self.store.dead(row.key, str(failure), transient=True, uncertain=unsure)
            self.metrics.add("dead_letters")
            return
        with self._rng_lock:
            delay = self.policy.delay(row.attempts, self._rng, failure.retry_after)
        if unsure:
            delay = max(delay, self.settle)
        self.store.retry_later(row.key, delay=delay, uncertain=unsure)
