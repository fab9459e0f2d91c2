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
    def sign(self) -> int:
        """Stock direction of a posted line."""
        return -1 if self is DocKind.INVOICE else 1


class Duplicates(StrEnum):
    """What a second document with the same external document number does."""

    REJECT = "reject"
    ACCEPT = "accept"


@dataclass(frozen=True, slots=True)
class Policy:
    """Posting rules: ``duplicates`` of external document numbers; ``post_on_create``
    posts documents when they are created (else the client calls the post action)."""

    duplicates: Duplicates = Duplicates.REJECT
    post_on_create: bool = True


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


def document_number(kind: DocKind | str, seq: int) -> str:
    """Business Central-like document numbers from the row sequence."""
    prefix = "S-INV" if DocKind(kind) is DocKind.INVOICE else "S-CR"
    return f"{prefix}{100000 + seq}"


def seq_of(number: str) -> int | None:
    """The row sequence of a document number, or None when it is not one of ours."""
    digits = number.removeprefix("S-INV").removeprefix("S-CR")
    return int(digits) - 100000 if digits.isdigit() else None
