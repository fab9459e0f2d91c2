"""Square stock changes that are not sales or returns (waste, damage, physical counts) →
`StockChange` deltas keyed by the Square change id.

Read through BatchRetrieveInventoryChanges since a cursor on ``created_at``, with an
`OVERLAP` that never reaches back before the connector's first start (the ``floor``: what
happened before, such as the opening counts, is already in both books). Skipped: sales
(IN_STOCK → SOLD) and anything referencing a POS order (returns, post-voids: their
documents move ERP stock), and the connector's own ERP → POS adjustments (reference
``OWN_PREFIX``…). A physical count becomes the difference to the POS book just before it,
replayed from that item's history.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from connectors.core.documents import StockChange
from connectors.pos.square.client import SquareClient

OWN_PREFIX = "erp-journal-line-"
"""``reference_id`` prefix of the adjustments the connector itself makes in the POS."""
OVERLAP = timedelta(seconds=5)
TYPES = ["ADJUSTMENT", "PHYSICAL_COUNT"]

SkuLookup = Callable[[list[str]], dict[str, str]]
"""Catalogue object ids → their SKUs (cached)."""


def stamp(moment: datetime) -> str:
    """A cursor value: UTC with milliseconds, as Square writes ``created_at``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def detail_of(change: Mapping[str, Any]) -> dict[str, Any]:
    """The adjustment or physical count inside an inventory change."""
    return dict(change.get("adjustment") or change.get("physical_count") or {})


def adjustment_delta(detail: Mapping[str, Any]) -> Decimal:
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
        enumerate(history), key=lambda p: (str(detail_of(p[1]).get("occurred_at")), p[0])
    )
    for _, change in ordered:
        detail = detail_of(change)
        if detail.get("id") == change_id:
            return count
        if change.get("type") == "PHYSICAL_COUNT":
            if detail.get("state", "IN_STOCK") == "IN_STOCK":
                count = Decimal(str(detail.get("quantity") or "0"))
        else:
            count += adjustment_delta(detail)
    return count


def may_count(change: Mapping[str, Any]) -> bool:
    """Whether a change can move stock the ERP does not hear of otherwise."""
    detail = detail_of(change)
    if str(detail.get("reference_id") or "").startswith(OWN_PREFIX):
        return False
    if change.get("type") == "PHYSICAL_COUNT":
        return bool(detail.get("state", "IN_STOCK") == "IN_STOCK")
    return not (detail.get("from_state") == "IN_STOCK" and detail.get("to_state") == "SOLD")


class SquareStock:
    """Reads non-sale stock changes from Square."""

    def __init__(
        self,
        client: SquareClient,
        *,
        skus: SkuLookup,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.client = client
        self.skus = skus
        self.now = now

    def start(self) -> str:
        """The cursor of now."""
        return stamp(self.now())

    def changes(self, since: str, floor: str) -> tuple[list[StockChange], str | None]:
        """Deltas of the changes since ``since`` (less `OVERLAP`, never before ``floor``)
        and the newest ``created_at`` among them (None when there were none)."""
        start = max(floor, stamp(datetime.fromisoformat(since.replace("Z", "+00:00")) - OVERLAP))
        query = {"types": TYPES, "updated_after": start, "limit": 1000}
        changes = list(self.client.inventory_changes(query))
        if not changes:
            return [], None
        newest = max(str(detail_of(c).get("created_at") or "") for c in changes) or since
        candidates = [c for c in changes if may_count(c)]
        referenced = sorted(
            {
                str(detail_of(c)["reference_id"])
                for c in candidates
                if detail_of(c).get("reference_id")
            }
        )
        orders = {str(o["id"]) for o in self.client.orders(referenced)} if candidates else set()
        skus = self.skus(sorted({str(detail_of(c).get("catalog_object_id")) for c in candidates}))
        found = []
        for change in candidates:
            detail = detail_of(change)
            if detail.get("reference_id") and str(detail["reference_id"]) in orders:
                continue
            delta = self._delta(change)
            sku = skus.get(str(detail.get("catalog_object_id")))
            if delta == 0 or not sku:
                continue
            change_id = str(detail["id"])
            found.append(
                StockChange(
                    id=change_id,
                    store_id=str(detail.get("location_id")),
                    sku=sku,
                    delta=delta,
                    description=f"POS {change.get('type', '').lower()} {change_id}",
                )
            )
        return found, newest

    def _delta(self, change: Mapping[str, Any]) -> Decimal:
        detail = detail_of(change)
        if change.get("type") != "PHYSICAL_COUNT":
            return adjustment_delta(detail)
        history = list(
            self.client.inventory_changes(
                {
                    "catalog_object_ids": [str(detail["catalog_object_id"])],
                    "location_ids": [str(detail["location_id"])],
                    "types": TYPES,
                    "limit": 1000,
                }
            )
        )
        before = count_before(history, str(detail["id"]))
        return Decimal(str(detail.get("quantity") or "0")) - before
