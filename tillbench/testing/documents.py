"""The ERP's documents as a test sees them, read through the dialect's public API with the
harness's own credential (the live run's collection: ``erp/documents`` and
``erp/document_lines``), and the waits and assertions built on them."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

__all__ = ["ErpDocument", "ErpLine", "posted_counts", "read_documents"]


@dataclasses.dataclass(frozen=True, slots=True)
class ErpLine:
    sku: str | None
    quantity: float
    unit_price_minor: int
    discount_minor: int
    tax_minor: int


@dataclasses.dataclass(frozen=True, slots=True)
class ErpDocument:
    """One ERP document: a sales invoice, a credit memo or an item journal line."""

    id: str
    kind: str
    """``invoice``, ``credit_memo`` or ``journal``."""
    external_document_number: str | None
    """The POS transaction it stands for (the order's ``reference_id``)."""
    status: str
    store_id: str | None
    total_minor: int
    tax_minor: int
    lines: tuple[ErpLine, ...] = ()

    @property
    def posted(self) -> bool:
        """Counts in the books (a draft does not, until posted)."""
        return self.status.lower() != "draft"


def read_documents(directory: Path) -> list[ErpDocument]:
    """The documents a target's collection wrote under ``directory``."""
    import pyarrow.parquet as pq

    docs = pq.read_table(directory / "erp" / "documents.parquet").to_pylist()
    lines_by_doc: dict[str, list[ErpLine]] = {}
    for row in pq.read_table(directory / "erp" / "document_lines.parquet").to_pylist():
        lines_by_doc.setdefault(str(row["document_id"]), []).append(
            ErpLine(
                sku=row.get("sku"),
                quantity=float(row.get("quantity") or 0),
                unit_price_minor=int(row.get("unit_price_minor") or 0),
                discount_minor=int(row.get("discount_minor") or 0),
                tax_minor=int(row.get("tax_minor") or 0),
            )
        )
    return [
        ErpDocument(
            id=str(row["document_id"]),
            kind=str(row["kind"]),
            external_document_number=row.get("external_document_number"),
            status=str(row.get("status") or ""),
            store_id=row.get("store_id"),
            total_minor=int(row.get("total_minor") or 0),
            tax_minor=int(row.get("tax_minor") or 0),
            lines=tuple(lines_by_doc.get(str(row["document_id"]), ())),
        )
        for row in docs
    ]


def posted_counts(documents: Iterable[ErpDocument]) -> Counter[str]:
    """Posted sales documents per external document number."""
    return Counter(
        d.external_document_number
        for d in documents
        if d.posted and d.kind != "journal" and d.external_document_number
    )
