"""POS adapters: what the connector needs from one POS, whatever it speaks.

A `PosAdapter` checks and reads webhook deliveries, fetches orders (by id, or every
completed one since a cursor) and reads them into dialect-neutral documents
(`connectors.core.documents.PosDocument`), and reads non-sale stock changes (waste,
counts) as `StockChange`. Its `PosCatalogue` takes the ERP → POS sync: prices and new
items, customers, and stock moved on the ERP's side.

`ADAPTERS` names them for ``TILLBENCH_POS_KIND``: ``square`` (`connectors.pos.square`,
Square API v2) and ``shopify`` (`connectors.pos.shopify`, the Admin GraphQL API). Each
entry is ``"module:factory"``, imported only when chosen; the factory takes a
`connectors.core.adapters.AdapterContext`. Adding a POS is a folder here and one
line in `ADAPTERS` (see ``connectors/README.md``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from connectors.core.documents import PosOrder, Reading, StockChange
    from connectors.core.masterdata import CatalogueItem, CustomerRecord, ErpStockMove
    from connectors.core.state import InboxEvent

__all__ = ["ADAPTERS", "PosAdapter", "PosCatalogue", "WebhookEvent"]

ADAPTERS: dict[str, str] = {
    "square": "connectors.pos.square.adapter:create",
    "shopify": "connectors.pos.shopify.adapter:create",
}
"""``TILLBENCH_POS_KIND`` → ``"module:factory"`` of its adapter."""


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """What the connector keeps of one delivery (the raw body is stored as well)."""

    event_id: str
    """Unique per event: duplicates are dropped by it."""
    type: str
    object_id: str | None


class PosCatalogue(Protocol):
    """The POS as the target of the ERP → POS sync."""

    def write_prices(self, items: Sequence[CatalogueItem]) -> int:
        """Give the POS item with each SKU the ERP's price (new SKUs become new items);
        returns how many POS objects were written."""
        ...

    def customer_emails(self) -> set[str]:
        """E-mail addresses (lower case) of every customer the POS knows."""
        ...

    def create_customer(self, customer: CustomerRecord) -> None:
        """Create a POS customer for an ERP one (idempotent: safe to send again)."""
        ...

    def stock_receipts(
        self, moves: Sequence[ErpStockMove]
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """The requests that apply ``moves`` to the POS's stock (each idempotent on its
        own), and the ids of the moves they take care of (the others come back later)."""
        ...

    def send_stock_receipt(self, payload: Mapping[str, Any]) -> int:
        """Send one request of `stock_receipts`; returns how many adjustments it made."""
        ...


class PosAdapter(Protocol):
    """One POS as the connector sees it."""

    name: str
    """Its name in `ADAPTERS` (the value of ``TILLBENCH_POS_KIND``)."""

    @property
    def catalogue(self) -> PosCatalogue | None:
        """The target of the ERP → POS sync; None when the connector does not run it."""
        ...

    def verify(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """True when a webhook delivery carries a valid signature."""
        ...

    def read_event(self, body: bytes) -> WebhookEvent | None:
        """The event of a (verified) delivery; None when it is not one."""
        ...

    def order_ids(self, events: Sequence[InboxEvent]) -> list[str]:
        """The orders that stored webhook events report completed (to fetch)."""
        ...

    def orders(self, order_ids: Sequence[str]) -> list[PosOrder]:
        """Orders by id (the current state, not the webhook's copy)."""
        ...

    def completed_orders(self, since: str | None) -> list[PosOrder]:
        """Completed orders changed since the cursor ``since`` (a little before it: list
        endpoints lag; None: all), oldest change first."""
        ...

    def documents(self, orders: Sequence[PosOrder]) -> list[Reading]:
        """What each completed order is to the ERP, in order."""
        ...

    def stock_start(self) -> str:
        """The stock-change cursor of now: changes before a connector's first start are
        already in both books."""
        ...

    def stock_changes(self, since: str, floor: str) -> tuple[list[StockChange], str | None]:
        """Non-sale stock changes since the cursor ``since`` (re-reading a little before
        it, never before ``floor``), and the cursor after them (None: nothing new)."""
        ...
