"""ERP → POS: the ERP is the source of truth for items, prices, customers and stock moved on
its side.

Every ``catalog_poll`` seconds: items changed in the ERP since the stored cursor get their
price written to the POS item with the same SKU (new SKUs become new POS items);
customers changed since their cursor are created in the POS unless a customer with the
same e-mail exists (no duplicate profiles); ERP-side stock moves (deliveries, write-offs)
become POS adjustments, each exactly once: the moves are marked carried and the POS
requests queued in the outbox in one state transaction, then sent. The first poll compares
the whole catalogue.

The ERP adapter's `connectors.erp.ErpCatalogue` reads; the POS adapter's
`connectors.pos.PosCatalogue` writes.
"""

from __future__ import annotations

import logging
import threading
import uuid
from typing import TYPE_CHECKING

from connectors.core.errors import ConnectorError
from connectors.core.http import Stopping
from connectors.core.metrics import Metrics
from connectors.core.state import NewPosting, StateStore

if TYPE_CHECKING:
    from connectors.erp import ErpCatalogue
    from connectors.pos import PosCatalogue

log = logging.getLogger("connector.catalog")

RECEIPT = "pos_receipt"
"""Outbox kind of a request that applies ERP-side stock moves to the POS."""


class CatalogSync:
    """Polls the ERP for changed items, customers and stock moves and carries them to the
    POS."""

    def __init__(
        self,
        *,
        store: StateStore,
        erp: ErpCatalogue,
        pos: PosCatalogue,
        interval: float,
        metrics: Metrics,
        stop: threading.Event,
    ) -> None:
        self.store = store
        self.erp = erp
        self.pos = pos
        self.interval = interval
        self.metrics = metrics
        self.stop = stop
        self.thread = threading.Thread(target=self._loop, name="catalog-sync", daemon=True)

    def join(self, timeout: float) -> None:
        """Wait for the thread after ``stop`` was set."""
        self.thread.join(timeout)

    def start(self) -> None:
        """Start polling."""
        self.thread.start()

    def _loop(self) -> None:
        while not self.stop.wait(self.interval):
            try:
                self.sync_items()
                self.sync_customers()
                self.sync_receipts()
            except Stopping:
                return
            except ConnectorError as error:
                log.warning("catalogue sync failed, next poll retries: %s", error)

    def sync_items(self) -> int:
        """Carry changed ERP items to the POS; returns how many POS items were written."""
        items = self.erp.items_since(self.store.cursor("erp_items"))
        if not items:
            return 0
        written = self.pos.write_prices(items)
        if written:
            self.metrics.add("catalog_updates", written)
            log.info("carried %d catalogue changes to the POS", written)
        self.store.set_cursor("erp_items", max(item.modified for item in items))
        return written

    def sync_customers(self) -> int:
        """Create POS customers for ERP customers with an e-mail the POS does not know."""
        customers = self.erp.customers_since(self.store.cursor("erp_customers"))
        if not customers:
            return 0
        with_email = [c for c in customers if c.email]
        created = 0
        if with_email:
            known = self.pos.customer_emails()
            for customer in with_email:
                email = customer.email.lower()
                if email in known:
                    continue
                self.pos.create_customer(customer)
                known.add(email)
                created += 1
        self.store.set_cursor("erp_customers", max(c.modified for c in customers))
        self.metrics.add("customers_created", created)
        return created

    def sync_receipts(self) -> int:
        """Queue new ERP-side stock moves for the POS and send what is queued; returns the
        number of moves queued now."""
        moves = self.erp.stock_moves()
        fresh = self.store.uncarried(m.id for m in moves)
        queued = 0
        if fresh:
            todo = [m for m in moves if m.id in fresh]
            payloads, carried = self.pos.stock_receipts(todo)
            postings = []
            for payload in payloads:
                key = str(uuid.uuid4())
                postings.append(
                    NewPosting(key=f"{RECEIPT}:{key}", kind=RECEIPT, ext_no=key, payload=payload)
                )
            self.store.record(postings, carried=carried)
            handled = set(carried)
            queued = sum(1 for m in todo if m.id in handled and m.quantity != 0)
        while claimed := self.store.claim(1, kinds=(RECEIPT,)):
            posting = claimed[0]
            try:
                sent = self.pos.send_stock_receipt(posting.payload)
            except Exception:
                self.store.release([posting.key], uncertain=True)
                raise
            self.store.posted(posting.key, None)
            self.metrics.add("pos_receipts", sent)
        return queued
