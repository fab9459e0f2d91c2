"""`ErpAdapter` for Business Central API v2.0 (``TILLBENCH_ERP_KIND=bc``, the default).

Business Central creates sales invoices and credit memos as drafts; only the bound action
``Microsoft.NAV.post`` posts them (moves stock, takes the posted number). Standard Business
Central also accepts a second document with the same external document number. So a
document is two requests, and exactly-once rests on the lookup, never on a 409:

- ``create``: POST the draft, then post it. Once the draft exists every failure is
  "outcome unknown" (`Transient` with ``applied_unknown``), so the next attempt looks up
  first instead of creating a second draft. A post whose answer was lost is retried: posting
  a posted document is refused, and a read of the document tells which happened.
- ``find``: every document of the external document number. A posted one is the answer; a
  draft alone (left by a crash or a lost answer between create and post) is posted now and
  is the answer; extra drafts are deleted, so nothing half-done stays behind.
- ``create_many``: one transactional ``$batch`` (``Isolation: snapshot``) creates the
  drafts, a second posts them together with the journal lines that reverse their real-time
  stock (the hybrid mode's ``extra["reversals"]``): stock and documents move in one
  transaction. Any error in a transactional batch means nothing of it was applied.
- ``find_many``: the lookups in one non-transactional ``$batch``; drafts found are posted in
  one transactional ``$batch`` as above.

Journal lines are posted as they are created (one POST, or an atomic ``$batch`` of several).
Payloads per `connectors.erp.bc.mapping`; the ERP → POS sync reads
`connectors.erp.bc.catalogue`."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from connectors.core.adapters import AdapterContext
from connectors.core.documents import PosDocument, StockChange
from connectors.core.errors import ApiError, RetriesExhausted
from connectors.core.http import Transient
from connectors.core.metrics import Metrics
from connectors.core.state import Posting
from connectors.erp import RETRY_AGAIN, Answer, ErpAdapter, Lookups
from connectors.erp.bc import mapping
from connectors.erp.bc.catalogue import BcCatalogue
from connectors.erp.bc.client import SEGMENTS, BatchResult, BcClient, odata_literal

log = logging.getLogger("connector.erp.bc")

POST_ATTEMPTS = 3
"""Attempts at posting a draft inside one ``create`` while the answers get lost (a repeat is
safe: Business Central refuses to post a posted document); a refusal (429, 503) ends them at
once and the draft is held for the row's next attempt."""


def _erp_id(body: Any) -> str:
    return str(body.get("id")) if isinstance(body, dict) and body.get("id") else ""


def _post_op(op_id: str, url: str, body: Any = None) -> dict[str, Any]:
    op: dict[str, Any] = {"id": op_id, "method": "POST", "url": url}
    if body is not None:
        op["headers"] = {"Content-Type": "application/json"}
        op["body"] = body
    return op


def _draft(doc: dict[str, Any]) -> bool:
    return doc.get("status") == "Draft"


def _later(status: int) -> bool:
    """Not refused for good: rate limited, unavailable, or not run (424)."""
    return status in (0, 424, 429) or status >= 500


class BcAdapter:
    """Business Central behind the connector."""

    name = "bc"
    atomic_reversals = True

    def __init__(self, client: BcClient, metrics: Metrics) -> None:
        self.client = client
        self.metrics = metrics
        self.catalogue = BcCatalogue(client)
        self._held: dict[str, dict[str, Any]] = {}
        self._held_lock = threading.Lock()

    def _hold(self, key: str, draft: dict[str, Any] | None) -> dict[str, Any] | None:
        """Remember (or, with None, forget) the draft of a posting whose post was refused
        before it was applied (429, 503, no connection): the next attempt in this process
        posts it instead of creating another. Returns what was held before."""
        with self._held_lock:
            before = self._held.pop(key, None)
            if draft is not None:
                self._held[key] = draft
            return before

    def map_document(self, document: PosDocument) -> dict[str, Any]:
        """A ``salesInvoice`` / ``salesCreditMemo`` body."""
        return mapping.map_document(document)

    def stock_payload(self, changes: Sequence[StockChange]) -> dict[str, Any]:
        """One journal line, or several for one atomic ``$batch``."""
        return mapping.stock_payload(changes)

    def create_path(self, kind: str) -> str:
        """Where a posting of ``kind`` is POSTed."""
        return self.client.journal_path() if kind == "journal" else self.client.path(SEGMENTS[kind])

    def _journal_url(self) -> str:
        return self.client.batch_url(f"itemJournals({self.client.journal_id()})/journalLines")

    def _url(self, posting: Posting) -> str:
        if posting.kind == "journal":
            return self._journal_url()
        return self.client.batch_url(SEGMENTS[posting.kind])

    def find(self, posting: Posting) -> str | None:
        """The posted document of the posting's external document number; a draft of it is
        posted first (see the module docstring)."""
        try:
            if posting.kind == "journal":
                found = self.client.find_journal_line(posting.ext_no)
                return None if found is None else _erp_id(found)
            docs = self.client.find_all(posting.kind, posting.ext_no)
            posted = [d for d in docs if not _draft(d)]
            drafts = [d for d in docs if _draft(d)]
            if posted:
                self._discard(posting.kind, drafts)
                return _erp_id(posted[0])
            if not drafts:
                return None
            self._discard(posting.kind, drafts[1:])
            answer = self._finish(posting, drafts[0])
        except RetriesExhausted as error:
            raise Transient(error.status, True, None, str(error)) from None
        return answer.erp_id if answer.ok else None

    def create(self, posting: Posting) -> Answer:
        """POST one document and post it, or one set of journal lines as an atomic
        ``$batch``."""
        held = None if posting.kind == "journal" else self._hold(posting.key, None)
        if held is not None:
            try:
                return self._finish(posting, held)
            except RetriesExhausted as error:
                raise Transient(error.status, True, None, str(error)) from None
        if posting.kind == "journal" and "lines" in posting.payload:
            status, body = self._journal_batch(posting.payload["lines"])
        else:
            reply = self.client.api.once(
                "POST", self.create_path(posting.kind), json=posting.payload
            )
            status, body = reply.status, reply.body
            if status in (200, 201) and posting.kind != "journal":
                try:
                    return self._finish(posting, body)
                except RetriesExhausted as exhausted:
                    raise Transient(exhausted.status, True, None, str(exhausted)) from None
        if status in (200, 201):
            return Answer(201, _erp_id(body))
        refusal = ApiError("POST", self.create_path(posting.kind), status, str(body))
        return Answer(status, detail=str(refusal))

    def _finish(self, posting: Posting, doc: dict[str, Any]) -> Answer:
        """Post a draft (a posted document is simply the answer). A post refused for good
        deletes the draft. A post the ERP refused for now (429, 503, no connection) raises
        `Transient` and the draft is held for the next attempt; one whose outcome is unknown
        raises `Transient` with ``applied_unknown`` (the next attempt looks it up)."""
        doc_id = _erp_id(doc)
        if not _draft(doc):
            return Answer(201, doc_id)
        api = self.client.api
        path = self.client.post_path(posting.kind, doc_id)
        last: Transient | None = None
        for attempt in range(POST_ATTEMPTS):
            if attempt:
                assert last is not None
                api.pause(attempt - 1, last)
            try:
                reply = api.once("POST", path)
            except Transient as failure:
                last = failure
                if not failure.applied_unknown:
                    break  # refused for now: the row backs off like any refused request
                continue
            if 200 <= reply.status < 300:
                return Answer(201, doc_id)
            current = self.client.get_document(posting.kind, doc_id)
            if current is not None and not _draft(current):
                return Answer(201, doc_id)  # an earlier attempt posted it
            if current is not None:
                self._discard(posting.kind, [current])
            detail = str(ApiError("POST", path, reply.status, str(reply.body)))
            return Answer(reply.status, detail=detail)
        assert last is not None
        if not last.applied_unknown:
            self._hold(posting.key, doc)
        raise Transient(
            last.status, last.applied_unknown, last.retry_after, f"draft {doc_id}: {last.detail}"
        )

    def _discard(self, kind: str, drafts: Sequence[dict[str, Any]]) -> None:
        """Delete drafts nobody will post (best effort: a failure leaves them to the next
        lookup, which deletes them then)."""
        for draft in drafts:
            path = self.client.document_path(kind, _erp_id(draft))
            try:
                reply = self.client.api.once(
                    "DELETE", path, headers={"If-Match": str(draft.get("@odata.etag") or "*")}
                )
            except Transient as failure:
                log.warning("draft %s not deleted yet: %s", path, failure)
                continue
            if reply.status >= 400 and reply.status != 404:
                log.warning("draft %s not deleted: %s %s", path, reply.status, reply.body)

    def _journal_batch(self, lines: Sequence[dict[str, Any]]) -> tuple[int, Any]:
        url = self._journal_url()
        operations = [_post_op(str(i), url, line) for i, line in enumerate(lines)]
        answers = self.client.batch_once(operations, atomic=True).answers
        codes = [answers.get(str(i), (0, None))[0] for i in range(len(operations))]
        if all(200 <= c < 300 for c in codes):
            return 201, answers["0"][1]
        if 409 in codes:
            return 409, None
        failed = next((answers[str(i)] for i, c in enumerate(codes) if c not in (0, 424)), None)
        if failed is None or failed[0] in (429, 503) or failed[0] >= 500:
            raise Transient(failed[0] if failed else 0, False, None, "journal batch rolled back")
        return failed

    def find_many(self, postings: Sequence[Posting]) -> Lookups:
        """GETs by external document number in one non-transactional ``$batch``; drafts
        found are posted (with their reversals) in one transactional ``$batch``."""
        operations = []
        for i, posting in enumerate(postings):
            where = quote(f"externalDocumentNumber eq {odata_literal(posting.ext_no)}", safe="")
            operations.append(
                {"id": str(i), "method": "GET", "url": f"{self._url(posting)}?$filter={where}"}
            )
        result = self.client.batch_once(operations, atomic=False)
        lookups = Lookups()
        drafts: list[tuple[Posting, dict[str, Any]]] = []
        for i, posting in enumerate(postings):
            status, body = result.answers.get(str(i), (0, None))
            if status != 200:
                continue
            values = (body or {}).get("value") or []
            posted = [v for v in values if not _draft(v)]
            pending = [v for v in values if _draft(v)]
            if posted:
                lookups.found[posting.key] = _erp_id(posted[0])
                self._discard(posting.kind, pending)
            elif pending:
                self._discard(posting.kind, pending[1:])
                drafts.append((posting, pending[0]))
            else:
                lookups.absent.add(posting.key)
        if drafts:
            answers = self._post_drafts(drafts)
            for posting, _doc in drafts:
                answer = answers[posting.key]
                if answer.ok:
                    lookups.found[posting.key] = answer.erp_id or ""
                elif answer.status != 409:
                    lookups.absent.add(posting.key)  # refused for good: its draft is gone
        return lookups

    def create_many(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        """Two transactional ``$batch`` calls: the drafts (journal lines are final at
        once), then the post actions with the journal lines that reverse their real-time
        stock (``extra["reversals"]``, the hybrid mode's). Drafts held from an earlier
        refused post skip the first call."""
        drafts: list[tuple[Posting, dict[str, Any]]] = []
        fresh: list[Posting] = []
        for posting in postings:
            held = None if posting.kind == "journal" else self._hold(posting.key, None)
            if held is None:
                fresh.append(posting)
            else:
                drafts.append((posting, held))
        answers: dict[str, Answer] = {}
        if fresh:
            operations = [_post_op(str(i), self._url(p), p.payload) for i, p in enumerate(fresh)]
            try:
                result = self.client.batch_once(operations, atomic=True)
            except Transient:
                for posting, doc in drafts:
                    self._hold(posting.key, doc)
                raise
            if not _complete(result, len(operations)):
                failed = result.failure()
                for i, posting in enumerate(fresh):
                    status, body = result.answers.get(str(i), (0, None))
                    if failed is None or failed[0] != str(i) or status == 424:
                        answers[posting.key] = Answer(RETRY_AGAIN)
                    else:
                        answers[posting.key] = Answer(
                            status, detail=f"{status}: {str(body)[:1000]}"
                        )
                for posting, doc in drafts:
                    self._hold(posting.key, doc)
                    answers[posting.key] = Answer(RETRY_AGAIN)
                return answers
            for i, posting in enumerate(fresh):
                body = result.answers[str(i)][1] or {}
                if posting.kind == "journal" or not _draft(body):
                    answers[posting.key] = Answer(201, _erp_id(body))
                else:
                    drafts.append((posting, body))
        if drafts:
            try:
                answers.update(self._post_drafts(drafts))
            except Transient as failure:
                if failure.applied_unknown:
                    raise
                for posting, doc in drafts:
                    self._hold(posting.key, doc)
                raise
        return answers

    def _post_drafts(self, drafts: Sequence[tuple[Posting, dict[str, Any]]]) -> dict[str, Answer]:
        """Post drafts in one transactional ``$batch`` with their reversals. An answer per
        posting: 201 posted; 409 still a draft (the batch was rolled back because of
        another one: look it up again); a refusal for good (its draft is deleted)."""
        operations: list[dict[str, Any]] = []
        owner: dict[str, int] = {}
        for i, (posting, doc) in enumerate(drafts):
            url = self.client.batch_url(f"{SEGMENTS[posting.kind]}({_erp_id(doc)})")
            operations.append(_post_op(str(i), f"{url}/Microsoft.NAV.post"))
            owner[str(i)] = i
            for j, reversal in enumerate(posting.extra.get("reversals") or []):
                operations.append(_post_op(f"{i}r{j}", self._journal_url(), reversal))
                owner[f"{i}r{j}"] = i
        result = self.client.batch_once(operations, atomic=True)
        if _complete(result, len(operations)):
            return {p.key: Answer(201, _erp_id(doc)) for p, doc in drafts}
        failed = result.failure()
        answers = {p.key: Answer(409) for p, _doc in drafts}
        if failed is not None and not _later(failed[1]):
            posting, doc = drafts[owner[failed[0]]]
            self._discard(posting.kind, [doc])
            answers[posting.key] = Answer(failed[1], detail=f"{failed[1]}: {str(failed[2])[:1000]}")
        return answers

    def stats(self) -> dict[str, int]:
        """Requests, 503 answers and retried requests of the ERP's HTTP client."""
        snapshot = self.metrics.snapshot()
        return {
            "erp_calls": snapshot.get("erp_requests", 0),
            "erp_status_503": snapshot.get("erp_status_503", 0),
            "erp_retries": snapshot.get("erp_retries", 0),
        }

    def close(self) -> None:
        """Release the HTTP connection pool."""
        self.client.api.close()


def _complete(result: BatchResult, count: int) -> bool:
    """Every operation answered 2xx (in a transactional batch: it was all applied)."""
    return len(result.answers) >= count and all(
        200 <= status < 300 for status, _ in result.answers.values()
    )


def create(context: AdapterContext) -> ErpAdapter:
    """The adapter for the contract's environment (the factory `connectors.erp.ADAPTERS`
    names): ``TILLBENCH_ERP_URL`` is the API root, ``TILLBENCH_ERP_TOKEN`` a bearer token."""
    env = context.env
    api = context.http("erp")
    return BcAdapter(BcClient(api, env.erp_company), context.metrics)
