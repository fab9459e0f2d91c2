"""Draining a backlog through the ERP's batch path: when more postings wait than a few
workers can post one by one (after an ERP outage, a burst of webhooks, a restart), the
posters send up to ``max_batch`` of them in one `ErpAdapter.create_many` (Business Central:
one transactional ``$batch`` creating the drafts, one posting them) instead of two requests
per document.

Exactly-once holds as for single postings: rows whose earlier outcome is unknown are looked
up first (`ErpAdapter.find_many`, one request), and only those the ERP does not hold are
sent. Per row of the batch: 2xx → posted; 424 (rolled back because of another row) → sent
again at once; 409 → looked up first next time; 429 or 5xx → back later; other 4xx → dead
letter. A batch that fails as a whole (`Transient`) trips the breaker once and uses one
attempt of each row, marked uncertain when the ERP may have applied it. A batch the ERP
refuses as a request (4xx on ``$batch`` itself) sends its rows back to be posted one by one.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from connectors.core.errors import ApiError
from connectors.core.http import Transient
from connectors.core.metrics import Metrics
from connectors.core.state import Posting, StateStore
from connectors.erp import RETRY_AGAIN, ErpAdapter
from connectors.realtime.outcomes import Outcomes, refusal

log = logging.getLogger("connector.poster")

BATCHED_KINDS = ("invoice", "credit_memo")
"""Outbox kinds that go through the batch path (stock postings stay single: a hybrid
connector's may hold several journal lines that commit together)."""


class BatchRefused(Exception):
    """The ERP refused a batch request as a whole; its rows go out one by one."""


class BacklogPoster:
    """Posts a claimed group of rows in one round of the ERP's batch path."""

    def __init__(
        self, *, store: StateStore, erp: ErpAdapter, outcomes: Outcomes, metrics: Metrics
    ) -> None:
        self.store = store
        self.erp = erp
        self.outcomes = outcomes
        self.metrics = metrics

    def post(self, rows: Sequence[Posting]) -> None:
        """Look the uncertain rows up, send the rest in one batch, settle each row. Raises
        `BatchRefused` (every unsettled row released) when the ERP refused the request."""
        self.metrics.add("batches")
        try:
            rest = self._look_up(rows)
        except ApiError as error:
            self.store.release([r.key for r in rows])
            raise BatchRefused(str(error)) from None
        if not rest:
            return
        try:
            answers = self.erp.create_many(rest)
        except Transient as failure:
            self.outcomes.trip(failure)
            for row in rest:
                self.outcomes.failed(row, failure, trip=False)
            return
        except ApiError as error:
            self.store.release([r.key for r in rest])
            raise BatchRefused(str(error)) from None
        later: Transient | None = None
        for row in rest:
            answer = answers.get(row.key)
            if answer is None or answer.status == RETRY_AGAIN:
                self.store.release([row.key])
            elif answer.ok:
                self.outcomes.done(row, answer.erp_id)
            elif answer.status == 409:
                self.store.release([row.key], uncertain=True)
            elif refusal(answer.status):
                refused = Transient(answer.status, False, None, answer.detail)
                if later is None:
                    later = refused
                    self.outcomes.trip(refused)
                self.outcomes.failed(row, refused, trip=False)
            else:
                self.outcomes.refused(row, answer)

    def _look_up(self, rows: Sequence[Posting]) -> list[Posting]:
        """Settle the uncertain rows the ERP holds; the rows still to send."""
        unsure = [r for r in rows if r.uncertain]
        if not unsure:
            return list(rows)
        try:
            lookups = self.erp.find_many(unsure)
        except Transient as failure:
            self.outcomes.trip(failure)
            for row in unsure:
                self.outcomes.failed(row, failure, uncertain=True, trip=False)
            self.store.release([r.key for r in rows if not r.uncertain])
            return []
        rest: list[Posting] = []
        for row in rows:
            if row.key in lookups.found:
                self.outcomes.done(row, lookups.found[row.key])
            elif not row.uncertain or row.key in lookups.absent:
                rest.append(row)
            else:
                unknown = Transient(0, False, None, "the lookup was not answered")
                self.outcomes.failed(row, unknown, trip=False)
        return rest
