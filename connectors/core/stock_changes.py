"""POS stock changes that are not sales or returns (waste, damage, physical counts) → ERP
postings that move stock by the same *delta*, keyed by the POS change id.

The POS adapter reads the changes since a cursor (`connectors.pos.PosAdapter.stock_changes`);
on the connector's first start the cursor is set to now, and that moment is kept as the
floor the adapter never re-reads before (what happened earlier, such as the opening counts,
is already in both books). The outbox key (the change id) makes re-reading harmless.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import TYPE_CHECKING

from connectors.core.documents import JOURNAL
from connectors.core.state import NewPosting, StateStore

if TYPE_CHECKING:
    from connectors.erp import ErpAdapter
    from connectors.pos import PosAdapter

log = logging.getLogger("connector.stock")

CURSOR = "pos_stock_changes"
FLOOR = f"{CURSOR}_floor"
EXTERNAL_NUMBER = 35
"""Characters of an ERP's external document number (Business Central's limit): a change id
is cut to it."""


class StockChangeSync:
    """Queues ERP stock postings for non-sale POS stock changes."""

    def __init__(self, *, store: StateStore, pos: PosAdapter, erp: ErpAdapter) -> None:
        self.store = store
        self.pos = pos
        self.erp = erp

    def poll(self) -> int:
        """Queue the deltas of changes since the cursor; returns how many were queued."""
        cursor = self.store.cursor(CURSOR)
        if cursor is None:
            first = self.pos.stock_start()
            self.store.record([], cursor=(FLOOR, first))
            self.store.set_cursor(CURSOR, first)
            return 0
        floor = self.store.cursor(FLOOR) or cursor
        changes, newest = self.pos.stock_changes(cursor, floor)
        if newest is None:
            return 0
        postings = []
        for change in changes:
            change = dataclasses.replace(change, id=change.id[:EXTERNAL_NUMBER])
            postings.append(
                NewPosting(
                    key=f"{JOURNAL}:{change.id}",
                    kind=JOURNAL,
                    ext_no=change.id,
                    payload=self.erp.stock_payload([change]),
                )
            )
        added = self.store.record(postings, cursor=(CURSOR, newest))
        if added:
            log.info("queued %d POS stock changes as journal deltas", added)
        return added
