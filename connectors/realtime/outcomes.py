"""What becomes of an outbox row after an attempt, for single and batched posting alike:
posted; back later after a backoff (full jitter, ``Retry-After`` honoured, at least
``settle`` seconds when this attempt's outcome is unknown, so the lookup that comes first
finds what the ERP was still working on); or a dead letter, for good (refused) or for now (attempts
exhausted: re-driven once the ERP answers again). Refusals trip the shared `Breaker`; the
first success after them makes every waiting row due at once."""

from __future__ import annotations

import logging
import random
import threading

from connectors.core.http import Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import Posting, StateStore
from connectors.erp import Answer
from connectors.realtime.breaker import Breaker

log = logging.getLogger("connector.poster")


def refusal(status: int) -> bool:
    """The ERP refused work for now (no answer, 429, 5xx): every worker backs off."""
    return status in (0, 429) or status >= 500


class Outcomes:
    """Settles rows in the outbox; thread-safe (the store and breaker are)."""

    def __init__(
        self,
        *,
        store: StateStore,
        policy: RetryPolicy,
        metrics: Metrics,
        rng: random.Random,
        settle: float,
        wake: threading.Event,
    ) -> None:
        self.store = store
        self.policy = policy
        self.metrics = metrics
        self.settle = settle
        self.wake = wake
        self.breaker = Breaker(policy, random.Random(rng.random()))
        self._rng = rng
        self._rng_lock = threading.Lock()

    def done(self, row: Posting, erp_id: str | None) -> None:
        """The ERP holds the posting."""
        self.store.posted(row.key, erp_id or None)
        self.metrics.add("posted")
        self.answered()

    def answered(self) -> None:
        """The ERP answered (a success or a refusal for good): after an outage, every
        waiting row is due at once and transient dead letters are re-driven."""
        if self.breaker.reset():
            revived = self.store.redrive()
            due = self.store.due_now()
            log.info("ERP answers again: %d dead letters re-driven, %d retries due", revived, due)
            self.wake.set()

    def refused(self, row: Posting, answer: Answer) -> None:
        """Refused for good: a dead letter."""
        detail = answer.detail or f"{answer.status}: refused by the ERP"
        log.error("dead letter %s: %s", row.key, detail)
        self.store.dead(row.key, detail, transient=False)
        self.metrics.add("dead_letters")
        self.answered()

    def trip(self, failure: Transient) -> None:
        """Hold every worker back if ``failure`` is a refusal."""
        if refusal(failure.status):
            self.breaker.trip(failure.retry_after)

    def failed(
        self, row: Posting, failure: Transient, *, uncertain: bool = False, trip: bool = True
    ) -> None:
        """One attempt used: back later, or a transient dead letter after the last one.
        ``uncertain``: this attempt may have changed the ERP (the row waits ``settle`` and
        is looked up first); a row uncertain from before stays so, without a new wait.
        ``trip=False`` when the caller already tripped the breaker for a whole batch."""
        fresh = uncertain or failure.applied_unknown
        unsure = fresh or row.uncertain
        if trip:
            self.trip(failure)
        self.metrics.add("retries")
        if row.attempts + 1 >= self.policy.attempts:
            log.error("dead letter %s after %d attempts: %s", row.key, row.attempts + 1, failure)
            self.store.dead(row.key, str(failure), transient=True, uncertain=unsure)
            self.metrics.add("dead_letters")
            return
        with self._rng_lock:
            delay = self.policy.delay(row.attempts, self._rng, failure.retry_after)
        if fresh:
            delay = max(delay, self.settle)
        self.store.retry_later(row.key, delay=delay, uncertain=unsure)
