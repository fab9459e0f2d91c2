"""`ErpAdapter` for NetSuite's SuiteTalk REST web services (``TILLBENCH_ERP_KIND=netsuite``).

NetSuite keeps ``externalId`` unique per record type and upserts by it, so exactly-once
rests on the upsert: ``create`` is ``PUT /record/v1/{type}/eid:{reference}`` (204 +
``Location``), which creates the record or finds the one an earlier attempt saved — a
request whose answer was lost is simply sent again. ``find`` is ``GET …/eid:{reference}``;
``find_many`` one SuiteQL query over ``transaction`` by ``externalid``. NetSuite has no
transactional batch: ``create_many`` sends the upserts side by side, as many at once as
the connector has ERP writers (``atomic_reversals`` is False). The account's concurrency
limit answers 429 at once to the request over it; the HTTP client backs off and retries it
like any refusal.

Authentication: an OAuth 2.0 bearer access token (``TILLBENCH_ERP_TOKEN``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from connectors.core.adapters import AdapterContext
from connectors.core.documents import PosDocument, StockChange
from connectors.core.http import HttpApi, Transient
from connectors.core.metrics import Metrics
from connectors.core.state import Posting
from connectors.erp import RETRY_AGAIN, Answer, ErpAdapter, Lookups
from connectors.erp.netsuite import mapping
from connectors.erp.netsuite.catalogue import NetSuiteCatalogue

__all__ = ["RECORD_TYPES", "SUITEQL_TYPES", "NetSuiteAdapter", "create"]

RECORD_TYPES = {
    "invoice": "cashSale",
    "credit_memo": "creditMemo",
    "journal": "inventoryAdjustment",
}
"""Posting kind → NetSuite record type."""
SUITEQL_TYPES = {"invoice": "CashSale", "credit_memo": "CustCred", "journal": "InvAdjst"}
"""Posting kind → ``transaction.type`` in SuiteQL."""
SUITEQL = "/query/v1/suiteql"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


class NetSuiteAdapter:
    """NetSuite behind the connector."""

    name = "netsuite"
    atomic_reversals = False

    def __init__(self, api: HttpApi, metrics: Metrics, *, parallel: int = 4) -> None:
        self.api = api
        self.catalogue = NetSuiteCatalogue(api)
        self.metrics = metrics
        self.parallel = max(1, parallel)
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def map_document(self, document: PosDocument) -> dict[str, Any]:
        """A ``cashSale`` / ``creditMemo`` body."""
        return mapping.map_document(document)

    def stock_payload(self, changes: Sequence[StockChange]) -> dict[str, Any]:
        """One ``inventoryAdjustment``."""
        return mapping.stock_payload(changes)

    def _path(self, posting: Posting) -> str:
        return f"/record/v1/{RECORD_TYPES[posting.kind]}/eid:{posting.ext_no}"

    def find(self, posting: Posting) -> str | None:
        """The internal id of the record with the posting's external id, else None."""
        reply = self.api.once("GET", self._path(posting))
        if reply.status == 200 and isinstance(reply.body, dict):
            return str(reply.body.get("id") or "")
        if reply.status == 404:
            return None
        raise Transient(reply.status, False, None, f"look-up: {str(reply.body)[:300]}")

    def create(self, posting: Posting) -> Answer:
        """Upsert the posting's record by its external id."""
        body = {k: v for k, v in posting.payload.items() if k != "externalId"}
        reply = self.api.once("PUT", self._path(posting), json=body)
        if 200 <= reply.status < 300:
            location = str(reply.headers.get("location") or "")
            return Answer(201, location.rsplit("/", 1)[-1])
        return Answer(
            reply.status, detail=f"PUT {self._path(posting)}: {reply.status} {reply.body}"
        )

    def find_many(self, postings: Sequence[Posting]) -> Lookups:
        """One SuiteQL query by external id (and type)."""
        if not postings:
            return Lookups()
        refs = ", ".join(sorted({_literal(p.ext_no) for p in postings}))
        reply = self.api.once(
            "POST",
            SUITEQL,
            json={
                "q": f"SELECT id, externalid, type FROM transaction WHERE externalid IN ({refs})"
            },
            params={"limit": "1000"},
            headers={"Prefer": "transient"},
        )
        if reply.status != 200 or not isinstance(reply.body, dict):
            raise Transient(reply.status, False, None, f"SuiteQL: {str(reply.body)[:300]}")
        held = {
            (str(row.get("type")), str(row.get("externalid"))): str(row.get("id"))
            for row in reply.body.get("items") or []
        }
        lookups = Lookups()
        for posting in postings:
            found = held.get((SUITEQL_TYPES[posting.kind], posting.ext_no))
            if found is None:
                lookups.absent.add(posting.key)
            else:
                lookups.found[posting.key] = found
        return lookups

    def create_many(self, postings: Sequence[Posting]) -> dict[str, Answer]:
        """The upserts, ``parallel`` at a time (NetSuite has no batch request: a batch
        costs one request per record, and each takes a slot of the account's concurrency
        limit). A posting refused for now (429, 5xx, no answer) is left for the next round
        (`RETRY_AGAIN`; an upsert is safe to send again); when every one was, the first
        refusal is raised so the round backs off."""

        def send(posting: Posting) -> Answer | Transient:
            try:
                return self.create(posting)
            except Transient as failure:
                return failure

        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.parallel, thread_name_prefix="netsuite")
            pool = self._pool
        outcomes = list(pool.map(send, postings))
        refused = [o for o in outcomes if isinstance(o, Transient)]
        if refused and len(refused) == len(outcomes):
            raise refused[0]
        return {
            p.key: Answer(RETRY_AGAIN) if isinstance(o, Transient) else o
            for p, o in zip(postings, outcomes, strict=True)
        }

    def stats(self) -> dict[str, int]:
        """Requests, 503 answers and retried requests of the ERP's HTTP client."""
        snapshot = self.metrics.snapshot()
        return {
            "erp_calls": snapshot.get("erp_requests", 0),
            "erp_status_503": snapshot.get("erp_status_503", 0),
            "erp_retries": snapshot.get("erp_retries", 0),
        }

    def close(self) -> None:
        """Release the HTTP connection pool and the sending threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        self.api.close()


def create(context: AdapterContext) -> ErpAdapter:
    """The adapter for the contract's environment: ``TILLBENCH_ERP_URL`` is the REST root
    (``…/services/rest``), ``TILLBENCH_ERP_TOKEN`` an OAuth 2.0 access token."""
    env = context.env
    integration = env.integration
    api = context.http("erp")
    return NetSuiteAdapter(api, context.metrics, parallel=integration.workers)
