"""ERP → POS stock: journal lines of item journals other than the connector's own (store
deliveries, write-offs entered in the ERP) become POS inventory adjustments, each exactly
once: the lines are marked carried and the adjustments queued in the outbox (with a fixed
idempotency key) in one state transaction, then sent. The adjustments carry the reference
``erp-journal-line-<id>``, so the POS → ERP stock sync never echoes them back.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from connectors.common.erp import ErpClient
from connectors.common.metrics import Metrics
from connectors.common.pos import PosClient
from connectors.common.state import NewPosting, StateStore
from connectors.common.stock_changes import OWN_PREFIX


def carry_deliveries(
    *,
    store: StateStore,
    erp: ErpClient,
    pos: PosClient,
    items: Callable[[], dict[str, dict[str, Any]]],
    metrics: Metrics,
) -> int:
    """Queue new ERP-side stock moves for the POS and send what is queued; returns the
    number of adjustments queued now. ``items`` gives POS items keyed by SKU."""
    lines = erp.foreign_journal_lines()
    fresh = store.uncarried(str(x["id"]) for x in lines)
    queued = 0
    if fresh:
        by_sku = items()
        changes: list[dict[str, Any]] = []
        carried: list[str] = []
        moment = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        for line in lines:
            line_id = str(line["id"])
            variation = _variation_id(by_sku.get(str(line.get("itemNumber"))), line)
            if line_id not in fresh or variation is None:
                continue
            quantity = Decimal(str(line.get("quantity") or 0))
            if quantity == 0:
                carried.append(line_id)
                continue
            inbound = quantity > 0
            changes.append(
                {
                    "type": "ADJUSTMENT",
                    "adjustment": {
                        "reference_id": f"{OWN_PREFIX}{line_id}",
                        "from_state": "NONE" if inbound else "IN_STOCK",
                        "to_state": "IN_STOCK" if inbound else "WASTE",
                        "catalog_object_id": variation,
                        "location_id": str(line.get("locationCode")),
                        "quantity": f"{abs(quantity):f}",
                        "occurred_at": moment,
                    },
                }
            )
            carried.append(line_id)
        postings = []
        for start in range(0, len(changes), 100):
            key = str(uuid.uuid4())
            postings.append(
                NewPosting(
                    key=f"pos_receipt:{key}",
                    kind="pos_receipt",
                    ext_no=key,
                    payload={"idempotency_key": key, "changes": changes[start : start + 100]},
                )
            )
        store.record(postings, carried=carried)
        queued = len(changes)
    while claimed := store.claim(1, kinds=("pos_receipt",)):
        posting = claimed[0]
        try:
            pos.api.call("POST", "/v2/inventory/changes/batch-create", json=posting.payload)
        except Exception:
            store.release([posting.key], uncertain=True)
            raise
        store.posted(posting.key, None)
        metrics.add("pos_receipts", len(posting.payload["changes"]))
    return queued


def _variation_id(item: dict[str, Any] | None, line: dict[str, Any]) -> str | None:
    if item is None:
        return None
    for variation in (item.get("item_data") or {}).get("variations") or []:
        if (variation.get("item_variation_data") or {}).get("sku") == line.get("itemNumber"):
            return str(variation["id"])
    return None
