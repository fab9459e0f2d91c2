"""`ErpAdapter` for Business Central API v2.0 (``TILLBENCH_ERP_KIND=bc``, the default):
documents by POST, journal lines and batches through the JSON ``$batch`` (``Isolation:
snapshot``: all or nothing, so a document and the journal lines that reverse its real-time
stock commit together), lookups by ``externalDocumentNumber``. Payloads per
`connectors.erp.bc.mapping`; the ERP → POS sync reads `connectors.erp.bc.catalogue`."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from connectors.core.adapters import AdapterContext
from connectors.core.documents import PosDocument, StockChange
from connectors.core.errors import ApiError, RetriesExhausted
from connectors.core.http import HttpApi, Transient
from connectors.core.metrics import Metrics
from connectors.core.state import Posting
from connectors.erp import RETRY_AGAIN, Answer, ErpAdapter, Lookups
from connectors.erp.bc import mapping
from connectors.erp.bc.catalogue import BcCatalogue
from connectors.erp.bc.client import SEGMENTS, BcClient, odata_literal


def _erp_id(body: Any) -> str:
    return str(body.get("id")) if isinstance(body, dict) and body.get("id") else ""


def _post_op(op_id: str, url: str, body: Any) -> dict[str, Any]:
    return {
        "id": op_id,
        "method": "POST",
        "url": url,
        "headers": {"Content-Type": "application/json"},
        "body": body,
    }


class BcAdapter:
    """Business Central behind the connector."""

    name = "bc"
    atomic_reversals = True

    def __init__(self, client: BcClient, metrics: Metrics) -> None:
        self.client = client
        self.metrics = metrics
        self.catalogue = BcCatalogue(client)

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
        """Look the posting up by external document number (one lookup, retried per policy)."""
        try:
            if posting.kind == "journal":
                found = self.client.find_journal_line(posting.ext_no)
            else:
                found = self.client.find(posting.kind, posting.ext_no)
        except RetriesExhausted as error:
            raise Transient(error.status, True, None, str(error)) from None
        return None if found is None else _erp_id(found)

    def create(self, posting: Posting) -> Answer:
        """POST one document, or one set of journal lines as an atomic ``$batch``."""
        if posting.kind != "journal" or "lines" not in posting.payload:
            reply = self.client.api.once(
                "POST", self.create_path(posting.kind), json=posting.payload
            )
            status, body = reply.status, reply.body
        else:
            status, body = self._journal_batch(posting.payload["lines"])
        if status in (200, 201):
            return Answer(201, _erp_id(body))
        error = ApiError("POST", self.create_path(posting.kind), status, str(body))
        return Answer(status, detail=str(error))

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
        """GETs by external document number in one non-atomic ``$batch``."""
        operations = []
        for i, posting in enumerate(postings):
            where = quote(f"externalDocumentNumber eq {odata_literal(posting.ext_no)}", safe="")
            operations.append(
                {"id": str(i), "method": "GET", "url": f"{self._url(posting)}?$filter={where}"}
            )
        result = self.client.batch_once(operations, atomic=False)
        lookups = Lookups()
        for i, posting in enumerate(postings):
            status, body = result.answers.get(str(i), (0, None))
            if status != 200:
                continue
            values = (body or {}).get("value") or []
            if values:
                lookups.found[posting.key] = str(values[0].get("id"))
            else:
                lookups.absent.add(posting.key)
        return lookups

    def create_many(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        """One atomic ``$batch``: each document with the journal lines it carries
        (``extra["reversals"]``, the hybrid mode's) as operations of the same transaction."""
        operations: list[dict[str, Any]] = []
        owner: dict[str, int] = {}
        for i, posting in enumerate(postings):
            operations.append(_post_op(str(i), self._url(posting), posting.payload))
            owner[str(i)] = i
            for j, reversal in enumerate(posting.extra.get("reversals") or []):
                operations.append(_post_op(f"{i}r{j}", self._journal_url(), reversal))
                owner[f"{i}r{j}"] = i
        result = self.client.batch_once(operations, atomic=True)
        statuses: dict[int, list[tuple[int, Any]]] = {}
        for op_id, index in owner.items():
            statuses.setdefault(index, []).append(result.answers.get(op_id, (0, None)))
        answers: dict[str, Answer] = {}
        for i, posting in enumerate(postings):
            replies = statuses.get(i, [(0, None)])
            codes = [status for status, _ in replies]
            if all(200 <= c < 300 for c in codes):
                answers[posting.key] = Answer(201, _erp_id(replies[0][1]))
            elif 409 in codes:
                answers[posting.key] = Answer(409)
            elif all(c in (0, 424, 429) or c >= 500 or 200 <= c < 300 for c in codes):
                answers[posting.key] = Answer(RETRY_AGAIN)
            else:
                status, body = next((a for a in replies if a[0] >= 400), replies[0])
                answers[posting.key] = Answer(status, detail=f"{status}: {str(body)[:1000]}")
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


def create(context: AdapterContext) -> ErpAdapter:
    """The adapter for the contract's environment (the factory `connectors.erp.ADAPTERS`
    names): ``TILLBENCH_ERP_URL`` is the API root, ``TILLBENCH_ERP_TOKEN`` a bearer token."""
    env = context.env
    integration = env.integration
    api = HttpApi(
        env.erp_url,
        env.erp_token,
        name="erp",
        policy=integration.retry,
        timeout=integration.request_timeout,
        rng=random.Random(context.rng.random()),
        metrics=context.metrics,
        stop=context.stop,
        pool=integration.workers + 2,
    )
    return BcAdapter(BcClient(api, env.erp_company), context.metrics)
