"""Batched posting through the ERP's JSON ``$batch`` (``Isolation: snapshot``: all or
nothing), at most ``max_batch`` operations per call.

Each round claims due outbox rows. Rows whose earlier outcome is unknown are first looked
up (GETs in one non-atomic ``$batch``) so a batch that committed before a crash or timeout
is not posted again. The rest go out as one atomic batch: 2xx → posted; 409 → looked up next
round; 424 (rolled back because of another operation) → sent again; other 4xx → dead letter.
Transient failures back off (full jitter, Retry-After honoured); after the policy's
attempts the round gives up and leaves the rows pending for the next interval.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from connectors.common.erp import SEGMENTS, ErpClient, odata_literal
from connectors.common.http import Stopping, Transient
from connectors.common.metrics import Metrics
from connectors.common.planted import PlantedBugs
from connectors.common.retry import RetryPolicy
from connectors.common.state import Posting, StateStore

log = logging.getLogger("connector.batch")


class Batcher:
    """Drains the outbox through ``$batch``."""

    def __init__(
        self,
        *,
        store: StateStore,
        erp: ErpClient,
        policy: RetryPolicy,
        max_batch: int,
        metrics: Metrics,
        stop: threading.Event,
        rng: random.Random,
        bugs: PlantedBugs,
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
        self.bugs = bugs
        self.kinds = kinds
        self.settle = settle

    def _url(self, posting: Posting) -> str:
        if posting.kind == "journal":
            return self.erp.batch_url(f"itemJournals({self.erp.journal_id()})/journalLines")
        return self.erp.batch_url(SEGMENTS[posting.kind])

    def _lookup_url(self, posting: Posting) -> str:
        where = quote(f"externalDocumentNumber eq {odata_literal(posting.ext_no)}", safe="")
        return f"{self._url(posting)}?$filter={where}"

    def drain(self) -> bool:
        """Post everything due; True when the outbox has nothing left to send."""
        failures = 0
        while not self.stop.is_set():
            rows = self._fit(self.store.claim(self.max_batch, kinds=self.kinds))
            if not rows:
                return True
            try:
                rows = self._resolve_uncertain(rows)
                if rows:
                    self._send(rows)
                failures = 0
            except Transient as failure:
                self.store.release([r.key for r in rows], uncertain=failure.applied_unknown)
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
        if not unsure or self.bugs.double_post:
            return rows
        operations = [
            {"id": str(i), "method": "GET", "url": self._lookup_url(r)}
            for i, r in enumerate(unsure)
        ]
        result = self.erp.batch_once(operations, atomic=False)
        found: set[str] = set()
        absent: set[str] = set()
        for i, row in enumerate(unsure):
            status, body = result.answers.get(str(i), (0, None))
            if status != 200:
                continue
            values = (body or {}).get("value") or []
            if values:
                self.store.posted(row.key, str(values[0].get("id")))
                self.metrics.add("posted")
                found.add(row.key)
            else:
                absent.add(row.key)
        unresolved = {r.key for r in unsure} - found - absent
        if unresolved:
            self.store.release(sorted(unresolved), uncertain=True)
        return [r for r in rows if r.key not in found and r.key not in unresolved]

    def _send(self, rows: Sequence[Posting]) -> None:
        operations: list[dict[str, Any]] = []
        owner: dict[str, int] = {}
        for i, row in enumerate(rows):
            operations.append(self._post_op(str(i), self._url(row), row.payload))
            owner[str(i)] = i
            for j, reversal in enumerate(row.extra.get("reversals") or []):
                url = self.erp.batch_url(f"itemJournals({self.erp.journal_id()})/journalLines")
                operations.append(self._post_op(f"{i}r{j}", url, reversal))
                owner[f"{i}r{j}"] = i
        result = self.erp.batch_once(operations, atomic=True)
        self.metrics.add("batches")
        statuses: dict[int, list[tuple[int, Any]]] = {}
        for op_id, index in owner.items():
            statuses.setdefault(index, []).append(result.answers.get(op_id, (0, None)))
        retry: list[str] = []
        recheck: list[str] = []
        for i, row in enumerate(rows):
            answers = statuses.get(i, [(0, None)])
            codes = [status for status, _ in answers]
            if all(200 <= c < 300 for c in codes):
                body = answers[0][1]
                erp_id = str(body.get("id")) if isinstance(body, dict) else None
                self.store.posted(row.key, erp_id)
                self.metrics.add("posted")
            elif 409 in codes:
                recheck.append(row.key)
            elif all(c in (0, 424, 429) or c >= 500 or 200 <= c < 300 for c in codes):
                retry.append(row.key)
            else:
                failed = next((a for a in answers if a[0] >= 400), answers[0])
                log.error("dead letter %s: %s %s", row.key, failed[0], str(failed[1])[:300])
                self.store.dead(row.key, f"{failed[0]}: {str(failed[1])[:1000]}", transient=False)
                self.metrics.add("dead_letters")
        if recheck:
            self.store.release(recheck, uncertain=True)
        if retry:
            self.store.release(retry)

    @staticmethod
    def _post_op(op_id: str, url: str, body: Any) -> dict[str, Any]:
        return {
            "id": op_id,
            "method": "POST",
            "url": url,
            "headers": {"Content-Type": "application/json"},
            "body": body,
        }
