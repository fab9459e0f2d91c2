"""Batched posting: at most ``max_batch`` operations per call of the ERP adapter's
`create_many` (Business Central: one JSON ``$batch`` with ``Isolation: snapshot``, all or
nothing; Tryton: one create → process → post of many POS sales).

Each round claims due outbox rows. Rows whose earlier outcome is unknown are first looked
up (in one request where the ERP allows it) so a batch that committed before a crash or timeout
is not posted again. The rest go out as one atomic batch: 2xx → posted; 409 → looked up next
round; 424 (rolled back because of another operation) → sent again; 429 or 5xx for a row
(e.g. a sale Tryton holds but has not posted yet) → sent again after a backoff; other 4xx →
dead letter.
Transient failures back off (full jitter, Retry-After honoured); after the policy's
attempts the round gives up and leaves the rows pending for the next interval.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Sequence

from connectors.core.http import Stopping, Transient
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy
from connectors.core.state import Posting, StateStore
from connectors.erp import RETRY_AGAIN, ErpAdapter

log = logging.getLogger("connector.batch")


class Batcher:
    """Drains the outbox in batches."""

    def __init__(
        self,
        *,
        store: StateStore,
        erp: ErpAdapter,
        policy: RetryPolicy,
        max_batch: int,
        metrics: Metrics,
        stop: threading.Event,
        rng: random.Random,
        kinds: tuple[str, ...] = ("invoice", "credit_memo"),
        settle: float = 0.0,
    ) -> None:
        self.store = store
        self.erp = erp
        self.policy = policy
        self.max_batch = max_batch
        self.metrics = metrics
        self.stop = stop
        self.rng = rng
        self.kinds = kinds
        self.settle = settle
        self._settled: set[str] = set()

    def drain(self) -> bool:
        """Post everything due; True when the outbox has nothing left to send."""
        failures = 0
        while not self.stop.is_set():
            self._settled = set()
            rows = self._fit(self.store.claim(self.max_batch, kinds=self.kinds))
            if not rows:
                return True
            try:
                rows = self._resolve_uncertain(rows)
                busy = self._send(rows) if rows else None
                if busy is not None:
                    raise busy
                failures = 0
            except Transient as failure:
                self.store.release(
                    [r.key for r in rows if r.key not in self._settled],
                    uncertain=failure.applied_unknown,
                )
                failures += 1
                if failures >= self.policy.attempts:
                    log.warning("ERP unavailable for %d attempts; retry next interval", failures)
                    return False
                wait = self.policy.delay(failures - 1, self.rng, failure.retry_after)
                if failure.applied_unknown:
                    wait = max(wait, self.settle)
                self.metrics.add("retries")
                if self.stop.wait(wait):
                    return False
            except Stopping:
                self.store.release([r.key for r in rows], uncertain=True)
                return False
        return False

    def _fit(self, rows: list[Posting]) -> list[Posting]:
        """The leading rows whose operations (with reversals) fit one batch; the rest go back."""
        used = 0
        for index, row in enumerate(rows):
            need = 1 + len(row.extra.get("reversals") or [])
            if used + need > self.max_batch and index > 0:
                self.store.release([r.key for r in rows[index:]])
                return rows[:index]
            used += need
        return rows

    def _resolve_uncertain(self, rows: list[Posting]) -> list[Posting]:
        unsure = [r for r in rows if r.uncertain]
        if not unsure:
            return rows
        lookups = self.erp.find_many(unsure)
        for row in unsure:
            if row.key in lookups.found:
                self.store.posted(row.key, lookups.found[row.key] or None)
                self.metrics.add("posted")
        unresolved = {r.key for r in unsure} - lookups.found.keys() - lookups.absent
        if unresolved:
            self.store.release(sorted(unresolved), uncertain=True)
        done = lookups.found.keys() | unresolved
        return [r for r in rows if r.key not in done]

    def _send(self, rows: Sequence[Posting]) -> Transient | None:
        """Post one batch and settle each row; returns a `Transient` when the ERP asked for
        some of them to come back later (the caller puts those back and backs off)."""
        self._settled = set()
        answers = self.erp.create_many(rows)
        self.metrics.add("batches")
        retry: list[str] = []
        recheck: list[str] = []
        later: list[str] = []
        for row in rows:
            answer = answers.get(row.key)
            if answer is not None and (answer.status == 429 or answer.status >= 500):
                later.append(row.key)
                log.warning("%s comes back later: %s", row.key, answer.detail[:300])
            elif answer is None or answer.status == RETRY_AGAIN:
                retry.append(row.key)
            elif answer.ok:
                self.store.posted(row.key, answer.erp_id or None)
                self.metrics.add("posted")
            elif answer.status == 409:
                recheck.append(row.key)
            else:
                log.error("dead letter %s: %s", row.key, answer.detail[:300])
                self.store.dead(row.key, answer.detail, transient=False)
                self.metrics.add("dead_letters")
        if recheck:
            self.store.release(recheck, uncertain=True)
        if retry:
            self.store.release(retry)
        if not later:
            return None
        self._settled = {row.key for row in rows} - set(later)
        return Transient(503, False, None, f"{len(later)} postings to retry later")
