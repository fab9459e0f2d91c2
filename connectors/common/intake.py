"""Orders → outbox: resolve SKUs, map each COMPLETED order to its ERP document and queue it,
at most once per order (the ``seen`` table), together with the caller's bookkeeping."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connectors.common.mapping import ErpDocument, MapOptions, MappingError, map_order
from connectors.common.metrics import Metrics
from connectors.common.planted import PlantedBugs, dropped
from connectors.common.pos import PosClient
from connectors.common.state import NewPosting, StateStore

log = logging.getLogger("connector.intake")

Mapper = Callable[[Mapping[str, Any], Mapping[str, str], MapOptions], ErpDocument | None]
"""POS order, catalogue object id → SKU, options → the ERP's document (None: nothing to post)."""


@dataclass(slots=True)
class Mapped:
    """The outcome of mapping a set of orders."""

    documents: list[ErpDocument] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


class Intake:
    """Turns POS orders into queued ERP postings."""

    def __init__(
        self,
        *,
        store: StateStore,
        pos: PosClient,
        bugs: PlantedBugs,
        metrics: Metrics,
        mapper: Mapper = map_order,
    ) -> None:
        self.store = store
        self.mapper = mapper
        self.pos = pos
        self.bugs = bugs
        self.metrics = metrics
        self.options = MapOptions(
            nominal_tax_rate=bugs.tax_per_line, scrub_notes=not bugs.card_notes
        )

    def _skus(self, orders: Sequence[dict[str, Any]]) -> dict[str, str]:
        wanted: set[str] = set()
        for order in orders:
            lines = list(order.get("line_items") or [])
            for ret in order.get("returns") or []:
                lines.extend(ret.get("return_line_items") or [])
            for line in lines:
                if not (line.get("metadata") or {}).get("sku") and line.get("catalog_object_id"):
                    wanted.add(str(line["catalog_object_id"]))
        known = self.store.skus(wanted)
        missing = sorted(wanted - known.keys())
        if missing:
            fetched = self.pos.skus(missing)
            self.store.remember_skus(fetched)
            known.update(fetched)
        return known

    def map(self, orders: Sequence[dict[str, Any]]) -> Mapped:
        """Map COMPLETED orders not seen before (others are left alone)."""
        result = Mapped()
        fresh = self.store.unseen(str(o["id"]) for o in orders if o.get("state") == "COMPLETED")
        todo = [o for o in orders if str(o.get("id")) in fresh]
        if not todo:
            return result
        skus = self._skus(todo)
        for order in todo:
            order_id = str(order["id"])
            fresh.discard(order_id)
            try:
                document = self.mapper(order, skus, self.options)
            except MappingError as error:
                result.failures.append((order_id, str(error)))
                result.seen.append(order_id)
                continue
            result.seen.append(order_id)
            if document is None:
                continue
            if self.bugs.ignore_returns and document.kind == "credit_memo":
                continue
            if self.bugs.drop_sales and document.kind == "invoice" and dropped(document.ext_no):
                continue
            result.documents.append(document)
        return result

    def queue(
        self,
        orders: Sequence[dict[str, Any]],
        *,
        events_done: Iterable[str] = (),
        cursor: tuple[str, str] | None = None,
        extra_postings: Sequence[NewPosting] = (),
    ) -> int:
        """Map and queue ``orders`` in one state transaction; returns new postings."""
        mapped = self.map(orders)
        postings = [posting_of(d) for d in mapped.documents]
        added = self.store.record(
            [*postings, *extra_postings],
            seen=mapped.seen,
            events_done=events_done,
            cursor=cursor,
        )
        for order_id, reason in mapped.failures:
            log.error("order %s cannot be mapped: %s", order_id, reason)
            self.store.dead(f"order:{order_id}", reason, transient=False)
        self.metrics.add("queued", added)
        return added


def posting_of(document: ErpDocument) -> NewPosting:
    """The outbox row of a mapped document."""
    return NewPosting(
        key=document.key,
        kind=document.kind,
        ext_no=document.ext_no,
        payload=document.body,
        extra={"store": document.store_id, "lines": [[s, str(q)] for s, q in document.lines]},
    )
