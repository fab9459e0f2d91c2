"""`PosAdapter` for Shopify's Admin GraphQL API (``TILLBENCH_POS_KIND=shopify``).

Webhooks are verified per `connectors.pos.shopify.signature` with the app's client secret
(``TILLBENCH_WEBHOOK_SECRET``). A delivery's body carries no event id, so the dedupe key is
a digest of the raw body: a duplicate delivery repeats its bytes exactly. Orders (with
their refunds) are read per `connectors.pos.shopify.orders`; the ERP → POS sync is written
per `connectors.pos.shopify.catalogue`. Shopify's Admin API keeps no inventory-change
history to poll, so non-sale stock changes are not read (`stock_changes` finds none).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from connectors.core.adapters import AdapterContext
from connectors.core.documents import PosOrder, Reading, StockChange
from connectors.core.errors import MappingError
from connectors.core.state import InboxEvent
from connectors.pos import PosAdapter, WebhookEvent
from connectors.pos.shopify import orders, signature
from connectors.pos.shopify.catalogue import ShopifyCatalogue
from connectors.pos.shopify.client import ShopifyClient

FETCHERS = 4
"""`NODES` reads at once: each waits on the network and the server; the cost bucket, not
the request count, is the limit."""


class ShopifyAdapter:
    """Shopify behind the connector."""

    name = "shopify"

    def __init__(self, client: ShopifyClient, *, webhook_secret: str) -> None:
        self.client = client
        self.webhook_secret = webhook_secret
        self.catalogue = ShopifyCatalogue(client)
        self._polled: dict[str, tuple[str, list[PosOrder]]] = {}
        """Order id → (updatedAt, what it read as) of the last polls: each poll re-lists the
        orders of its overlap, and one whose updatedAt is unchanged is not read again."""

    # webhooks

    def verify(self, body: bytes, headers: Mapping[str, str]) -> bool:
        """``X-Shopify-Hmac-Sha256`` signs the raw body with the app secret."""
        received = headers.get(signature.HEADER) or headers.get("X-Shopify-Hmac-Sha256")
        return signature.verify(self.webhook_secret, body, received)

    def read_event(self, body: bytes) -> WebhookEvent | None:
        """``order`` or ``refund`` with its global id; the event id is the body's digest."""
        try:
            payload = json.loads(body)
        except ValueError:
            return None
        if not isinstance(payload, dict) or "admin_graphql_api_id" not in payload:
            return None
        kind = "refund" if "order_id" in payload and "transactions" in payload else "order"
        if "inventory_item_id" in payload:
            kind = "inventory_level"
        digest = hashlib.sha256(body).hexdigest()
        return WebhookEvent(digest, kind, str(payload["admin_graphql_api_id"]))

    def order_ids(self, events: Sequence[InboxEvent]) -> list[str]:
        """Paid orders (with the refunds they have) and refunds (`orders.order_ids`)."""
        return orders.order_ids(events)

    # orders

    def orders(self, order_ids: Sequence[str]) -> list[PosOrder]:
        """Each order now with its refunds, or a refund on its own (one `nodes` query per
        `orders.BATCH` ids, under the cost cap; `FETCHERS` at a time, in the order asked)."""
        return [o for found in self._fetch_all(list(dict.fromkeys(order_ids))) for o in found]

    def _fetch_all(self, ids: Sequence[str]) -> list[list[PosOrder]]:
        """What each id reads as, in order: orders `orders.BATCH` and refunds
        `orders.REFUND_BATCH` to a `nodes` query (`_fetch`), `FETCHERS` queries at a time."""
        refunds = [i for i in ids if i.startswith(f"{orders.GID}Refund/")]
        sales = [i for i in ids if not i.startswith(f"{orders.GID}Refund/")]
        batches = [
            (orders.ORDER_NODES, sales[i : i + orders.BATCH])
            for i in range(0, len(sales), orders.BATCH)
        ] + [
            (orders.REFUND_NODES, refunds[i : i + orders.REFUND_BATCH])
            for i in range(0, len(refunds), orders.REFUND_BATCH)
        ]
        if len(batches) <= 1:
            reads = [self._fetch(*batch) for batch in batches]
        else:
            with ThreadPoolExecutor(max_workers=FETCHERS, thread_name_prefix="shopify") as pool:
                reads = list(pool.map(lambda batch: self._fetch(*batch), batches))
        read = {
            i: found
            for (_query, batch), answers in zip(batches, reads, strict=True)
            for i, found in zip(batch, answers, strict=True)
        }
        return [read[i] for i in ids]

    def _fetch(self, query: str, ids: Sequence[str]) -> list[list[PosOrder]]:
        """One `nodes` query for `ids`: per id, an order with its refunds, one refund, or
        nothing (an id Shopify does not know answers null)."""
        nodes = self.client.query(query, {"ids": list(ids)}).get("nodes") or []
        if len(nodes) != len(ids):
            raise MappingError(f"nodes: {len(nodes)} answers for {len(ids)} ids")
        found: list[list[PosOrder]] = []
        for node in nodes:
            if not node:
                found.append([])
            elif node.get("__typename") == "Refund":
                found.append([orders.refund_order(self._whole_refund(node))])
            else:
                found.append(orders.pos_orders(self._whole_order(node)))
        return found

    def _whole_order(self, order: dict[str, Any]) -> dict[str, Any]:
        """`order` with all its line items (the pages past the first, `MORE_LINES`) and
        each refund with all its lines."""
        lines = order["lineItems"]
        while lines["pageInfo"]["hasNextPage"]:
            more = self.client.query(
                orders.MORE_LINES, {"id": order["id"], "after": lines["pageInfo"]["endCursor"]}
            )["order"]["lineItems"]
            lines = {"pageInfo": more["pageInfo"], "nodes": lines["nodes"] + more["nodes"]}
        refunds = [self._whole_refund(r) for r in order.get("refunds") or []]
        return {**order, "lineItems": lines, "refunds": refunds}

    def _whole_refund(self, refund: dict[str, Any]) -> dict[str, Any]:
        """`refund`, read again on its own (`orders.REFUND`, up to 30 lines) when its lines
        reach past the first `orders.BATCH_REFUND_LINES`."""
        items = refund.get("refundLineItems") or {}
        if not (items.get("pageInfo") or {}).get("hasNextPage"):
            return refund
        again = self.client.query(orders.REFUND, {"id": refund["id"]}).get("refund") or {}
        return {**refund, "refundLineItems": again.get("refundLineItems") or items}

    def completed_orders(self, since: str | None) -> list[PosOrder]:
        """Orders changed (or refunded) since 30 s before ``since``, with their refunds,
        oldest change first; an order listed again with the same ``updatedAt`` is not read
        again."""
        start = orders.rewind(since)
        query = f"updated_at:>='{start}'" if start else None
        listed: dict[str, str] = {}
        after = None
        while True:
            page = self.client.query(orders.CHANGED, {"q": query, "after": after})["orders"]
            listed.update({str(n["id"]): str(n["updatedAt"]) for n in page["nodes"]})
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        stale = [i for i, stamp in listed.items() if self._polled.get(i, ("", []))[0] != stamp]
        fresh = dict(zip(stale, self._fetch_all(stale), strict=True))
        self._polled = {
            i: (stamp, fresh[i] if i in fresh else self._polled[i][1])
            for i, stamp in listed.items()
        }
        found = [o for _stamp, read in self._polled.values() for o in read if o.completed]
        return sorted(found, key=lambda o: o.updated_at)

    def documents(self, pos_orders: Sequence[PosOrder]) -> list[Reading]:
        """Each sale's or refund's document."""
        readings = []
        for order in pos_orders:
            try:
                readings.append(Reading(order.id, orders.document(order.raw)))
            except MappingError as error:
                readings.append(Reading(order.id, error=str(error)))
        return readings

    # stock

    def stock_start(self) -> str:
        """Now (there is no change history to page through)."""
        return datetime.now(UTC).isoformat().replace("+00:00", "Z")

    def stock_changes(self, since: str, floor: str) -> tuple[list[StockChange], str | None]:
        """None: Shopify's Admin API has no inventory-change history to read."""
        return [], None


def create(context: AdapterContext) -> PosAdapter:
    """The adapter for the contract's environment (the factory `connectors.pos.ADAPTERS`
    names)."""
    env = context.env
    api = context.http("pos")
    client = ShopifyClient(api, env.pos_token, stop=context.stop)
    return ShopifyAdapter(client, webhook_secret=env.webhook_secret)
