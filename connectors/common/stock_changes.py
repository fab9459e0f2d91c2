"""POS stock changes that are not sales or returns (waste, damage, physical counts) → ERP
item journal lines as *deltas*, keyed by the POS change id.

Polled (Square BatchRetrieveInventoryChanges) since a cursor on ``created_at``, with an
overlap that never reaches back before the connector's first start (what happened before,
such as the opening counts, is already in both books); the outbox key (the change id) makes
re-reading harmless. Skipped: sales
(IN_STOCK → SOLD) and anything referencing a POS order (returns, post-voids: their credit
memos move ERP stock), and the connector's own ERP → POS deliveries. A physical count
becomes the difference to the POS book just before it, replayed from that item's history.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from connectors.common.intake import Intake
from connectors.common.state import NewPosting

log = logging.getLogger("connector.stock")

OWN_PREFIX = "erp-journal-line-"
"""``reference_id`` prefix of the adjustments the connector itself makes in the POS."""
OVERLAP = timedelta(seconds=5)
CURSOR = "pos_stock_changes"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def _detail(change: dict[str, Any]) -> dict[str, Any]:
    return dict(change.get("adjustment") or change.get("physical_count") or {})


def adjustment_delta(detail: dict[str, Any]) -> Decimal:
    """Units an adjustment adds to (or takes from) IN_STOCK."""
    quantity = Decimal(str(detail.get("quantity") or "0"))
    if detail.get("to_state") == "IN_STOCK" and detail.get("from_state") != "IN_STOCK":
        return quantity
    if detail.get("from_state") == "IN_STOCK" and detail.get("to_state") != "IN_STOCK":
        return -quantity
    return Decimal(0)


def count_before(history: list[dict[str, Any]], change_id: str) -> Decimal:
    """The IN_STOCK count just before change ``change_id``, replayed in occurred_at order."""
    count = Decimal(0)
    ordered = sorted(
        enumerate(history), key=lambda p: (str(_detail(p[1]).get("occurred_at")), p[0])
    )
    for _, change in ordered:
        detail = _detail(change)
        if detail.get("id") == change_id:
            return count
        if change.get("type") == "PHYSICAL_COUNT":
            if detail.get("state", "IN_STOCK") == "IN_STOCK":
                count = Decimal(str(detail.get("quantity") or "0"))
        else:
            count += adjustment_delta(detail)
    return count


class StockChangeSync:
    """Queues journal deltas for non-sale POS stock changes."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake
        self.store = intake.store
        self.pos = intake.pos

    def _changes(self, body: dict[str, Any]) -> Iterator[dict[str, Any]]:
        while True:
            page = self.pos.api.call("POST", "/v2/inventory/changes/batch-retrieve", json=body)
            data = page.body or {}
            yield from data.get("changes") or []
            if not data.get("cursor"):
                return
            body = {**body, "cursor": data["cursor"]}

    def poll(self) -> int:
        """Queue the deltas of changes since the cursor; returns how many were queued."""
        cursor = self.store.cursor(CURSOR)
        if cursor is None:
            first = _stamp(datetime.now(UTC))
            self.store.record([], cursor=(f"{CURSOR}_floor", first))
            self.store.set_cursor(CURSOR, first)
            return 0
        floor = self.store.cursor(f"{CURSOR}_floor") or cursor
        start = max(floor, _stamp(datetime.fromisoformat(cursor.replace("Z", "+00:00")) - OVERLAP))
        changes = list(
            self._changes(
                {"types": ["ADJUSTMENT", "PHYSICAL_COUNT"], "updated_after": start, "limit": 1000}
            )
        )
        if not changes:
            return 0
        newest = max(str(_detail(c).get("created_at") or "") for c in changes) or cursor
        candidates = [c for c in changes if self._may_count(c)]
        orders = (
            {
                str(o["id"])
                for o in self.pos.orders(
                    sorted(
                        {
                            str(_detail(c)["reference_id"])
                            for c in candidates
                            if _detail(c).get("reference_id")
                        }
                    )
                )
            }
            if candidates
            else set()
        )
        skus = self.store.skus(str(_detail(c).get("catalog_object_id")) for c in candidates)
        missing = {str(_detail(c).get("catalog_object_id")) for c in candidates} - skus.keys()
        if missing:
            fetched = self.pos.skus(sorted(missing))
            self.store.remember_skus(fetched)
            skus.update(fetched)
        postings = []
        for change in candidates:
            detail = _detail(change)
            if detail.get("reference_id") and str(detail["reference_id"]) in orders:
                continue
            delta = self._delta(change)
            sku = skus.get(str(detail.get("catalog_object_id")))
            if delta == 0 or not sku:
                continue
            ext_no = str(detail["id"])[:35]
            postings.append(
                NewPosting(
                    key=f"journal:{ext_no}",
                    kind="journal",
                    ext_no=ext_no,
                    payload={
                        "itemNumber": sku,
                        "locationCode": str(detail.get("location_id")),
                        "quantity": float(delta),
                        "externalDocumentNumber": ext_no,
                        "description": f"POS {change.get('type', '').lower()} {ext_no}"[:100],
                    },
                )
            )
        added = self.store.record(postings, cursor=(CURSOR, newest))
        if added:
            log.info("queued %d POS stock changes as journal deltas", added)
        return added

    def _may_count(self, change: dict[str, Any]) -> bool:
        detail = _detail(change)
        if str(detail.get("reference_id") or "").startswith(OWN_PREFIX):
            return False
        if change.get("type") == "PHYSICAL_COUNT":
            return bool(detail.get("state", "IN_STOCK") == "IN_STOCK")
        return not (detail.get("from_state") == "IN_STOCK" and detail.get("to_state") == "SOLD")

    def _delta(self, change: dict[str, Any]) -> Decimal:
        detail = _detail(change)
        if change.get("type") != "PHYSICAL_COUNT":
            return adjustment_delta(detail)
        history = list(
            self._changes(
                {
                    "catalog_object_ids": [str(detail["catalog_object_id"])],
                    "location_ids": [str(detail["location_id"])],
                    "types": ["ADJUSTMENT", "PHYSICAL_COUNT"],
                    "limit": 1000,
                }
            )
        )
        before = count_before(history, str(detail["id"]))
        return Decimal(str(detail.get("quantity") or "0")) - before
