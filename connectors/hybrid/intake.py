"""Hybrid intake: stock in real time, documents batched.

Each mapped sale or return queues, at once, one stock posting that moves its lines (a sale
takes stock out, a return puts it back) for the real-time posters, and the document itself
for the batch, carrying the stock payloads that reverse those real-time moves
(``extra["reversals"]``). The ERP adapter commits a document and its reversals in one
transaction (``atomic_reversals``: Business Central's atomic ``$batch``), so when the
document moves stock the real-time move is taken back at the same moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from connectors.core.documents import INVOICE, JOURNAL, ErpDocument, PosOrder, StockChange
from connectors.core.intake import Intake, Mapper, posting_of
from connectors.core.metrics import Metrics
from connectors.core.state import NewPosting, StateStore

if TYPE_CHECKING:
    from connectors.erp import ErpAdapter
    from connectors.pos import PosAdapter


def stock_change(
    document: ErpDocument, index: int, sku: str, quantity: Decimal, *, reverse: bool
) -> StockChange:
    """The change that moves (or takes back) line ``index`` of ``document``."""
    sign = -1 if document.kind == INVOICE else 1
    if reverse:
        sign = -sign
    suffix = "R" if reverse else ""
    return StockChange(
        id=f"{document.ext_no}:{index + 1}{suffix}",
        store_id=document.store_id,
        sku=sku,
        delta=sign * quantity,
        description=f"{'reversal of ' if reverse else ''}POS {document.kind} {document.ext_no}",
    )


class HybridIntake(Intake):
    """Intake that also queues real-time stock postings."""

    def __init__(
        self,
        *,
        store: StateStore,
        pos: PosAdapter,
        erp: ErpAdapter,
        mapper: Mapper,
        metrics: Metrics,
    ) -> None:
        super().__init__(store=store, pos=pos, mapper=mapper, metrics=metrics)
        self.erp = erp

    def queue(
        self,
        orders: Sequence[PosOrder],
        *,
        events_done: Iterable[str] = (),
        cursor: tuple[str, str] | None = None,
        extra_postings: Sequence[NewPosting] = (),
    ) -> int:
        mapped = self.map(orders)
        postings: list[NewPosting] = list(extra_postings)
        for document in mapped.documents:
            moves = [
                stock_change(document, i, sku, qty, reverse=False)
                for i, (sku, qty) in enumerate(document.lines)
            ]
            reversals = [
                self.erp.stock_payload([stock_change(document, i, sku, qty, reverse=True)])
                for i, (sku, qty) in enumerate(document.lines)
            ]
            if moves:
                postings.append(
                    NewPosting(
                        key=f"{JOURNAL}:{document.ext_no}",
                        kind=JOURNAL,
                        ext_no=moves[0].id,
                        payload=self.erp.stock_payload(moves),
                    )
                )
            base = posting_of(document)
            postings.append(
                NewPosting(
                    key=base.key,
                    kind=base.kind,
                    ext_no=base.ext_no,
                    payload=base.payload,
                    extra={**(base.extra or {}), "reversals": reversals},
                )
            )
        return self.record(mapped, postings, events_done=events_done, cursor=cursor)
