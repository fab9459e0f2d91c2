"""Orders → outbox: the POS adapter reads each completed order into a neutral document,
the mapper turns it into the ERP's payload, and the posting is queued at most once per
order (the ``seen`` table), together with the caller's bookkeeping, in one state
transaction.

The `Mapper` is a seam: `reference_mapper` removes card numbers from the document's free
text and asks the ERP adapter for its payload; a connector built with other `Seams` may
wrap it (the test suite's planted bugs do).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from connectors.core.documents import ErpDocument, PosDocument, PosOrder
from connectors.core.errors import MappingError
from connectors.core.metrics import Metrics
from connectors.core.state import NewPosting, StateStore

if TYPE_CHECKING:
    from connectors.erp import ErpAdapter
    from connectors.pos import PosAdapter

log = logging.getLogger("connector.intake")

Mapper = Callable[[PosDocument], "ErpDocument | None"]
"""A POS document → the ERP's document (None: nothing to post). Raises `MappingError`."""


def map_with(erp: ErpAdapter, document: PosDocument) -> ErpDocument:
    """``document`` as ``erp``'s payload, as it is (free text untouched)."""
    return ErpDocument.of(document, erp.map_document(document))


def reference_mapper(erp: ErpAdapter) -> Mapper:
    """The reference connector's mapper: card numbers out of the free text, then ``erp``'s
    payload."""

    def mapper(document: PosDocument) -> ErpDocument | None:
        return map_with(erp, document.scrubbed())

    return mapper


@dataclass(slots=True)
class Mapped:
    """The outcome of mapping a set of orders."""

    documents: list[ErpDocument] = field(default_factory=list)
    seen: list[str] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)


class Intake:
    """Turns POS orders into queued ERP postings."""

    def __init__(
        self, *, store: StateStore, pos: PosAdapter, mapper: Mapper, metrics: Metrics
    ) -> None:
        self.store = store
        self.pos = pos
        self.mapper = mapper
        self.metrics = metrics

    def map(self, orders: Sequence[PosOrder]) -> Mapped:
        """Map completed orders not seen before (others are left alone)."""
        result = Mapped()
        fresh = self.store.unseen(o.id for o in orders if o.completed)
        todo = [o for o in orders if o.id in fresh]
        if not todo:
            return result
        for reading in self.pos.documents(todo):
            result.seen.append(reading.order_id)
            if reading.error:
                result.failures.append((reading.order_id, reading.error))
                continue
            if reading.document is None:
                continue
            try:
                document = self.mapper(reading.document)
            except MappingError as error:
                result.failures.append((reading.order_id, str(error)))
                continue
            if document is not None:
                result.documents.append(document)
        return result

    def queue(
        self,
        orders: Sequence[PosOrder],
        *,
        events_done: Iterable[str] = (),
        cursor: tuple[str, str] | None = None,
        extra_postings: Sequence[NewPosting] = (),
    ) -> int:
        """Map and queue ``orders`` in one state transaction; returns new postings."""
        mapped = self.map(orders)
        postings = [posting_of(d) for d in mapped.documents]
        return self.record(
            mapped,
            [*postings, *extra_postings],
            events_done=events_done,
            cursor=cursor,
        )

    def record(
        self,
        mapped: Mapped,
        postings: Sequence[NewPosting],
        *,
        events_done: Iterable[str] = (),
        cursor: tuple[str, str] | None = None,
    ) -> int:
        """Queue ``postings``, mark ``mapped``'s orders seen and dead-letter its failures;
        returns how many postings were new."""
        added = self.store.record(
            postings, seen=mapped.seen, events_done=events_done, cursor=cursor
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
