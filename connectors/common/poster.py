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
from typing import Any

from connectors.common.erp import SEGMENTS, ErpClient
from connectors.common.errors import ApiError, RetriesExhausted
from connectors.common.http import Stopping, Transient
from connectors.common.metrics import Metrics
from connectors.common.planted import PlantedBugs
from connectors.common.retry import RetryPolicy
from connectors.common.state import Posting, StateStore

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


def lookup(erp: ErpClient, posting: Posting) -> dict[str, Any] | None:
    """The ERP's record of ``posting`` (one attempt; raises `Transient` on failure)."""
    try:
        if posting.kind == "journal":
            return erp.find_journal_line(posting.ext_no)
        return erp.find(posting.kind, posting.ext_no)
    except RetriesExhausted as error:
        raise Transient(error.status, True, None, str(error)) from None


def create_path(erp: ErpClient, kind: str) -> str:
    """Where a posting of ``kind`` is POSTed."""
    return erp.journal_path() if kind == "journal" else erp.path(SEGMENTS[kind])


class Poster:
    """The dispatcher thread and its workers."""

    def __init__(
        self,
        *,
        store: StateStore,
        erp: ErpClient,
        policy: RetryPolicy,
        workers: int,
        metrics: Metrics,
        stop: threading.Event,
        rng: random.Random,
        bugs: PlantedBugs,
        kinds: tuple[str, ...] = ("invoice", "credit_memo", "journal"),
        settle: float = 0.0,
    ) -> None:
        self.store = store
        self.erp = erp
        self.policy = policy
        self.metrics = metrics
        self.stop = stop
        self.bugs = bugs
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
            if row.uncertain and not self.bugs.double_post:
                found = lookup(self.erp, row)
                if found is not None:
                    self._done(row, found)
                    return
            status, body = self._send(row)
        except Transient as failure:
            self._failed(row, failure)
            return
        if status in (200, 201):
            self._done(row, body)
            return
        if status == 409:
            try:
                found = lookup(self.erp, row)
            except Transient as failure:
                self._failed(row, failure, uncertain=True)
                return
            if found is not None:
                self._done(row, found)
                return
        error = ApiError("POST", create_path(self.erp, row.kind), status, str(body))
        log.error("dead letter %s: %s", row.key, error)
        self.store.dead(row.key, str(error), transient=False)
        self.metrics.add("dead_letters")

    def _send(self, row: Posting) -> tuple[int, Any]:
        """POST one document, or one set of journal lines as an atomic ``$batch``."""
        if row.kind != "journal" or "lines" not in row.payload:
            reply = self.erp.api.once("POST", create_path(self.erp, row.kind), json=row.payload)
            return reply.status, reply.body
        url = self.erp.batch_url(f"itemJournals({self.erp.journal_id()})/journalLines")
        operations = [
            {
                "id": str(i),
                "method": "POST",
                "url": url,
                "headers": {"Content-Type": "application/json"},
                "body": line,
            }
            for i, line in enumerate(row.payload["lines"])
        ]
        answers = self.erp.batch_once(operations, atomic=True).answers
        codes = [answers.get(str(i), (0, None))[0] for i in range(len(operations))]
        if all(200 <= c < 300 for c in codes):
            return 201, answers["0"][1]
        if 409 in codes:
            return 409, None
        failed = next((answers[str(i)] for i, c in enumerate(codes) if c not in (0, 424)), None)
        if failed is None or failed[0] in (429, 503) or failed[0] >= 500:
            raise Transient(failed[0] if failed else 0, False, None, "journal batch rolled back")
        return failed

    def _done(self, row: Posting, body: Any) -> None:
        erp_id = str(body.get("id")) if isinstance(body, dict) and body.get("id") else None
        self.store.posted(row.key, erp_id)
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
