"""Ingestion of register transactions: what the real POS does when a till completes one.

- sale: a COMPLETED order (lines at the register's prices, discounts and tax), one
  COMPLETED payment per tender, IN_STOCK → SOLD at the completion time.
- return: a COMPLETED return order (`returns[].return_line_items`), refunds to the original
  payments when receipted (unlinked otherwise), NONE → IN_STOCK for the returned units.
- cancel: a CANCELED order; no money, no stock.
- post_void: the voided sale is returned in full (refunds of its payments, stock back) and
  the original order is annotated.

Ids are derived from `txn_id`, so a replayed transaction is recognised (status `exists`)
and nothing happens twice. Card refunds start PENDING and settle asynchronously.
"""

from mocks.pos.engine.ingest.dispatch import ingest

__all__ = ["ingest"]
