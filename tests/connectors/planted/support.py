"""Planted bugs: the reference connector built with one seam wrapped from outside
(`connectors.core.seams.Seams`) so that it is wrong in one known way, and tests can show
that verification catches it. The reference connectors' own code has no switch for any of
them.

Each bug is a `Seams` subclass in `PLANTED`, started by its script in this folder
(``python tests/connectors/planted/drop_sales.py [MODE]``) through `main`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from connectors.core.documents import CREDIT_MEMO, INVOICE, ErpDocument, PosDocument, PosOrder
from connectors.core.errors import ConfigError
from connectors.core.intake import Mapper, map_with
from connectors.core.runtime import run
from connectors.core.seams import Seams
from connectors.core.state import InboxEvent, Posting
from connectors.erp import Answer, ErpAdapter, Lookups
from connectors.erp.bc.mapping import lines_key
from connectors.pos import PosAdapter, WebhookEvent

DROP_SHARE = 0.02
"""Share of sales the drop-sales bug skips."""


def dropped(txn_id: str, share: float = DROP_SHARE) -> bool:
    """Deterministic ~``share`` of txn ids (the drop-sales bug's victims)."""
    digest = hashlib.sha256(txn_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") < share * 2**32


class Delegate:
    """Everything of the wrapped adapter, except what a subclass overrides."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class DropSales(Seams):
    """Silently skip a share of sales (chosen by a hash of the txn id)."""

    def __init__(self, share: float = DROP_SHARE) -> None:
        self.share = share

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        def wrong(document: PosDocument) -> ErpDocument | None:
            mapped = mapper(document)
            if mapped is not None and mapped.kind == INVOICE and dropped(mapped.ext_no, self.share):
                return None
            return mapped

        return wrong


class IgnoreReturns(Seams):
    """Never post credit memos (returns and post-voids)."""

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        def wrong(document: PosDocument) -> ErpDocument | None:
            mapped = mapper(document)
            return None if mapped is not None and mapped.kind == CREDIT_MEMO else mapped

        return wrong


class CardNotes(Seams):
    """Copy order and line notes into the ERP without removing card numbers."""

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        return lambda document: map_with(erp, document)


class NominalTax(Delegate):
    """An ERP adapter whose payloads let the ERP compute tax per line from the nominal rate."""

    def map_document(self, document: PosDocument) -> dict[str, Any]:
        body: dict[str, Any] = self.inner.map_document(document)
        if self.inner.name == "tryton":
            for line in body["lines"]:
                line.pop("unit_list_price", None)
            return body
        for out, line in zip(body[lines_key(document.is_return)], document.lines, strict=True):
            if line.nominal_tax_percent is not None:
                out["taxPercent"] = float(line.nominal_tax_percent)
        return body


class TaxPerLine(Seams):
    """Send the nominal tax rate (Business Central), or leave out the net price (Tryton), so
    the ERP rounds tax per line instead of per document as the POS did."""

    def erp(self, erp: ErpAdapter) -> ErpAdapter:
        return NominalTax(erp)  # type: ignore[return-value]


class NoLookup(Delegate):
    """An ERP adapter that never finds a posting it was not told exists (a 409)."""

    def __init__(self, inner: ErpAdapter) -> None:
        super().__init__(inner)
        self.collided: set[str] = set()

    def find(self, posting: Posting) -> str | None:
        return self.inner.find(posting) if posting.key in self.collided else None

    def create(self, posting: Posting) -> Answer:
        answer: Answer = self.inner.create(posting)
        if answer.status == 409:
            self.collided.add(posting.key)
        return answer

    def find_many(self, postings: Sequence[Posting]) -> Lookups:
        return Lookups(absent={p.key for p in postings})


class DoublePost(Seams):
    """Send a post whose outcome is unknown (a timeout) again without looking it up first."""

    def erp(self, erp: ErpAdapter) -> ErpAdapter:
        return NoLookup(erp)  # type: ignore[return-value]


def counts_of(events: Sequence[InboxEvent]) -> list[dict[str, Any]]:
    """The inventory counts ``inventory.count.updated`` events carry."""
    counts: list[dict[str, Any]] = []
    for _event_id, kind, _object_id, body in events:
        if kind != "inventory.count.updated":
            continue
        try:
            obj = (json.loads(body).get("data") or {}).get("object") or {}
        except ValueError:
            continue
        counts.extend(obj.get("inventory_counts") or [])
    return counts


class CountCopier(Delegate):
    """A Square adapter that, reading webhook events, also copies each POS stock count to
    Business Central by reading its quantity and writing the difference: stock already
    moved by documents still in flight moves twice, stale counts overwrite newer ones."""

    def __init__(self, inner: PosAdapter, erp: ErpAdapter) -> None:
        super().__init__(inner)
        self.client = erp.client  # type: ignore[attr-defined]

    def order_ids(self, events: Sequence[InboxEvent]) -> list[str]:
        counts = counts_of(events)
        wanted: list[str] = self.inner.order_ids(events)
        if counts:
            self.copy(counts)
        return wanted

    def copy(self, counts: Sequence[Mapping[str, Any]]) -> None:
        skus = self.inner.skus([str(c.get("catalog_object_id")) for c in counts])
        api = self.client.api
        root = api.base_url[: api.base_url.rfind("/api/")]
        inventory = (
            f"{root}/api/tillbench/inventory/v1.0/companies({self.client.company})"
            "/locationInventories"
        )
        for count in counts:
            if count.get("state", "IN_STOCK") != "IN_STOCK":
                continue
            sku = skus.get(str(count.get("catalog_object_id")))
            location = str(count.get("location_id") or "")
            if not sku or not location:
                continue
            reply = api.call("GET", inventory, params={"locationCode": location, "itemNumber": sku})
            rows = (reply.body or {}).get("value") or []
            current = Decimal(str(rows[0].get("inventory", 0))) if rows else Decimal(0)
            delta = Decimal(str(count.get("quantity") or "0")) - current
            if delta == 0:
                continue
            api.call(
                "POST",
                self.client.journal_path(),
                json={
                    "itemNumber": sku,
                    "locationCode": location,
                    "quantity": float(delta),
                    "externalDocumentNumber": f"CNT-{uuid.uuid4().hex[:20]}",
                    "description": "stock count from the POS",
                },
            )


class AbsoluteStock(Seams):
    """Copy POS stock counts to the ERP as absolute values (read-modify-write), in the
    realtime mode (the one that reads webhook events alone); needs Business Central."""

    def __init__(self, mode: str) -> None:
        self.mode = mode

    def pos(self, pos: PosAdapter, *, erp: ErpAdapter) -> PosAdapter:
        if self.mode != "realtime":
            return pos
        if erp.name != "bc":
            raise ConfigError(
                "TILLBENCH_ERP_KIND",
                erp.name,
                "the absolute-stock bug writes Business Central's stock directly; use bc",
            )
        return CountCopier(pos, erp)  # type: ignore[return-value]


class EveryDelivery(Delegate):
    """A POS adapter that takes every webhook delivery for new work: no event is dropped as
    a duplicate, and each one fetches its order again under a name of its own."""

    def read_event(self, body: bytes) -> WebhookEvent | None:
        event: WebhookEvent | None = self.inner.read_event(body)
        return (
            None if event is None else WebhookEvent(uuid.uuid4().hex, event.type, event.object_id)
        )

    def order_ids(self, events: Sequence[InboxEvent]) -> list[str]:
        return [
            f"{order_id}@{event[0]}"
            for event in events
            for order_id in self.inner.order_ids([event])
        ]

    def orders(self, order_ids: Sequence[str]) -> list[PosOrder]:
        found: list[PosOrder] = []
        for tagged in order_ids:
            order_id, _, delivery = tagged.partition("@")
            for order in self.inner.orders([order_id]):
                found.append(dataclasses.replace(order, id=f"{order.id}@{delivery}"))
        return found


class DeliveryKeyed(Seams):
    """Post once per webhook delivery instead of once per order: a repeated delivery (at
    least once, as Shopify and Square send them) posts the sale again, numbered apart."""

    def pos(self, pos: PosAdapter, *, erp: ErpAdapter) -> PosAdapter:
        return EveryDelivery(pos)

    def mapper(self, mapper: Mapper, *, erp: ErpAdapter) -> Mapper:
        posted: Counter[str] = Counter()

        def wrong(document: PosDocument) -> ErpDocument | None:
            posted[document.reference] += 1
            times = posted[document.reference]
            if times > 1:
                document = dataclasses.replace(document, reference=f"{document.reference}-{times}")
            return mapper(document)

        return wrong


PLANTED: dict[str, Callable[[str], Seams]] = {
    "drop-sales": lambda _mode: DropSales(),
    "double-post": lambda _mode: DoublePost(),
    "absolute-stock": AbsoluteStock,
    "ignore-returns": lambda _mode: IgnoreReturns(),
    "tax-per-line": lambda _mode: TaxPerLine(),
    "card-notes": lambda _mode: CardNotes(),
    "delivery-keyed": lambda _mode: DeliveryKeyed(),
}
"""Bug name → its seams for a mode."""


def main(bug: str, argv: Sequence[str] | None = None) -> int:
    """Run the reference connector with ``bug`` planted; ``argv``: ``[MODE]`` (realtime by
    default, batch or hybrid)."""
    args = list(sys.argv[1:] if argv is None else argv)
    mode = args[0] if args else "realtime"
    return run(mode, seams=PLANTED[bug](mode))
