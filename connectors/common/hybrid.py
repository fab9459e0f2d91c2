"""Hybrid intake: stock in real time, documents batched.

Each mapped sale or return queues, at once, its item journal lines (one per document line;
sale: negative, return: positive) for the real-time poster, which posts them in one atomic
``$batch``, and the document itself for the
batch, carrying journal lines that reverse those real-time ones. The batch posts the
document and its reversals in one atomic ``$batch``, so when the invoice moves stock the
real-time adjustment is taken back in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from connectors.common.intake import Intake, posting_of
from connectors.common.mapping import ErpDocument
from connectors.common.state import NewPosting


def journal_line(
    document: ErpDocument, index: int, sku: str, quantity: Decimal, *, reverse: bool
) -> dict[str, Any]:
    """The journal line that moves (or takes back) line ``index`` of ``document``."""
    sign = -1 if document.kind == "invoice" else 1
    if reverse:
        sign = -sign
    suffix = "R" if reverse else ""
    return {
        "itemNumber": sku,
        "locationCode": document.store_id,
        "quantity": float(sign * quantity),
        "externalDocumentNumber": f"{document.ext_no}:{index + 1}{suffix}",
        "description": f"{'reversal of ' if reverse else ''}POS {document.kind} {document.ext_no}",
    }


class HybridIntake(Intake):
    """Intake that also queues real-time journal lines."""

    def queue(
        self,
        orders: Sequence[dict[str, Any]],
        *,
        events_done: Iterable[str] = (),
        cursor: tuple[str, str] | None = None,
        extra_postings: Sequence[NewPosting] = (),
    ) -> int:
        mapped = self.map(orders)
        postings: list[NewPosting] = list(extra_postings)
        for document in mapped.documents:
            lines = [
                journal_line(document, i, sku, qty, reverse=False)
                for i, (sku, qty) in enumerate(document.lines)
            ]
            reversals = [
                journal_line(document, i, sku, qty, reverse=True)
                for i, (sku, qty) in enumerate(document.lines)
            ]
            if lines:
                postings.append(
                    NewPosting(
                        key=f"journal:{document.ext_no}",
                        kind="journal",
                        ext_no=lines[0]["externalDocumentNumber"],
                        payload={"lines": lines},
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
        added = self.store.record(
            postings, seen=mapped.seen, events_done=events_done, cursor=cursor
        )
        for order_id, reason in mapped.failures:
            self.store.dead(f"order:{order_id}", reason, transient=False)
        self.metrics.add("queued", added)
        return added
