"""Inputs and policies of the document engine: kinds, duplicate policy, lines, headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DocKind(StrEnum):
    """Document kinds; the value is stored."""

    INVOICE = "invoice"
    CREDIT_MEMO = "credit_memo"

    @property
    def entity(self) -> str:
        """Business Central's table caption, used in messages."""
        return "Sales Invoice" if self is DocKind.INVOICE else "Sales Credit Memo"

    @property
    def noun(self) -> str:
        """How Business Central's messages name the kind ("invoice", "credit memo")."""
        return "invoice" if self is DocKind.INVOICE else "credit memo"

    @property
    def draft_series(self) -> str:
        """The No. Series of drafts (Business Central's Invoice Nos. / Credit Memo Nos.)."""
        return "S-INV" if self is DocKind.INVOICE else "S-CR"

    @property
    def posted_series(self) -> str:
        """The No. Series of posted documents (Posted Invoice Nos. / Posted Credit Memo Nos.)."""
        return "PS-INV" if self is DocKind.INVOICE else "PS-CR"

    @property
    def sign(self) -> int:
        """Stock direction of a posted line."""
        return -1 if self is DocKind.INVOICE else 1


class Duplicates(StrEnum):
    """What a second document with the same external document number does."""

    REJECT = "reject"
    ACCEPT = "accept"


class Posting(StrEnum):
    """When a sales document is posted: by the client's post action (Business Central:
    documents are created as drafts), or at once when created (a simplification)."""

    DRAFT = "draft"
    ON_CREATE = "on_create"


@dataclass(frozen=True, slots=True)
class Policy:
    """Posting rules: ``duplicates`` of external document numbers (standard Business Central
    accepts them) and ``posting`` (drafts posted by the client, or posted on create)."""

    duplicates: Duplicates = Duplicates.ACCEPT
    posting: Posting = Posting.DRAFT

    @property
    def post_on_create(self) -> bool:
        """Whether documents are posted as they are created."""
        return self.posting is Posting.ON_CREATE


@dataclass(slots=True)
class LineInput:
    """One line as the client sent it; ``where`` is its API path for messages."""

    where: str
    quantity: Decimal
    line_type: str = "Item"
    item_id: str | None = None
    item_number: str | None = None
    location_id: str | None = None
    location_code: str | None = None
    description: str | None = None
    unit_price: Decimal | None = None
    discount_amount: Decimal = Decimal(0)
    tax_percent: Decimal = Decimal(0)
    sequence: int | None = None


@dataclass(slots=True)
class DocumentInput:
    """A document header as the client sent it, with its lines."""

    kind: DocKind
    external_document_number: str = ""
    document_date: date | None = None
    posting_date: date | None = None
    due_date: date | None = None
    customer_id: str | None = None
    customer_number: str | None = None
    currency_code: str = ""
    prices_include_tax: bool = False
    invoice_id: str | None = None
    invoice_number: str | None = None
    lines: list[LineInput] = field(default_factory=list)


NUMBER_BASE = 100000
"""Numbers of a series start after this (S-INV100001, PS-INV100001, …)."""


def draft_number(kind: DocKind | str, seq: int) -> str:
    """The number of a draft: its kind's draft series and its row sequence."""
    return f"{DocKind(kind).draft_series}{NUMBER_BASE + seq}"
