"""`PosAdapter` for Square API v2 (``TILLBENCH_POS_KIND=square``, the default).

Webhooks are signed per `connectors.pos.square.signature` with the subscription's key
(``TILLBENCH_WEBHOOK_SECRET``) over the notification URL as registered
(``TILLBENCH_WEBHOOK_URL``); orders are read per `connectors.pos.square.orders`, stock
changes per `connectors.pos.square.stock`, and the ERP → POS sync is written per
`connectors.pos.square.catalogue`. Catalogue object ids are resolved to SKUs once and
cached in the connector's state.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from connectors.core.adapters import AdapterContext
from connectors.core.documents import PosOrder, Reading, StockChange
from connectors.core.errors import MappingError
from connectors.core.state import InboxEvent, StateStore
from connectors.pos import PosAdapter, WebhookEvent
from connectors.pos.square import orders, signature
from connectors.pos.square.catalogue import SquareCatalogue
from connectors.pos.square.client import SquareClient
from connectors.pos.square.stock import SquareStock


class SquareAdapter:
    """Square behind the connector."""

    name = "square"

    def __init__(
        self,
        client: SquareClient,
        *,
        cache: StateStore,
        webhook_secret: str,
        webhook_url: str,
    ) -> None:
        self.client = client
        self.cache = cache
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.catalogue = SquareCatalogue(client)
        self.stock = SquareStock(client, skus=self.skus)
        self._locations: list[str] = []

    # webhooks

    def verify(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """The ``x-square-hmacsha256-signature`` header signs the URL and the body."""
        received = headers.get(signature.HEADER)
        return signature.verify(self.webhook_secret, self.webhook_url, body, received)

    def read_event(self, body: bytes) -> WebhookEvent | None:
        """``event_id``, ``type`` and ``data.id`` of a Square event."""
        try:
            event = json.loads(body)
            event_id = str(event["event_id"])
            event_type = str(event["type"])
        except (ValueError, KeyError, TypeError):
            return None
        data = event.get("data") or {}
        object_id = data.get("id") if isinstance(data, dict) else None
        return WebhookEvent(event_id, event_type, object_id)

    def order_ids(self, events: Sequence[InboxEvent]) -> list[str]:
        """Orders that ``order.created`` / ``order.updated`` events report COMPLETED."""
        return orders.order_ids(events)

    # orders

    def orders(self, order_ids: Sequence[str]) -> list[PosOrder]:
        """BatchRetrieveOrders, 100 at a time."""
        return [orders.pos_order(o) for o in self.client.orders(order_ids)]

    def completed_orders(self, since: str | None) -> list[PosOrder]:
        """SearchOrders over every location, COMPLETED and updated since 30 s before
        ``since`` (an ``updated_at``), oldest first."""
        if not self._locations:
            self._locations = self.client.location_ids()
        else:
            self._locations = self.client.location_ids() or self._locations
        found = self.client.completed_orders_since(self._locations, orders.rewind(since))
        return [orders.pos_order(o) for o in found]

    def documents(self, pos_orders: Sequence[PosOrder]) -> list[Reading]:
        """Each order's document; lines without a SKU of their own are resolved through the
        catalogue (cached)."""
        raws = [o.raw for o in pos_orders]
        skus = self.skus(sorted(orders.catalog_ids(raws)))
        readings = []
        for order in pos_orders:
            try:
                readings.append(Reading(order.id, orders.document(order.raw, skus)))
            except MappingError as error:
                readings.append(Reading(order.id, error=str(error)))
        return readings

    def skus(self, object_ids: Sequence[str]) -> dict[str, str]:
        """SKU of each catalogue object id: from the cache, else from Square (then cached)."""
        known = self.cache.skus(object_ids)
        missing = sorted(set(object_ids) - known.keys())
        if missing:
            fetched = self.client.skus(missing)
            self.cache.remember_skus(fetched)
            known.update(fetched)
        return known

    # stock

    def stock_start(self) -> str:
        """Now, as a ``created_at`` cursor."""
        return self.stock.start()

    def stock_changes(self, since: str, floor: str) -> tuple[list[StockChange], str | None]:
        """Waste, damage and counts since the cursor (see `SquareStock.changes`)."""
        return self.stock.changes(since, floor)


def create(context: AdapterContext) -> PosAdapter:
    """The adapter for the contract's environment (the factory `connectors.pos.ADAPTERS`
    names)."""
    env = context.env
    api = context.http("pos")
    return SquareAdapter(
        SquareClient(api),
        cache=context.store,
        webhook_secret=env.webhook_secret,
        webhook_url=env.webhook_url,
    )
