"""The dialect-neutral vocabulary between a POS adapter and an ERP adapter (POS → ERP).

A POS adapter reads its orders into `PosDocument` (a sale or a return with its lines and
payments, amounts in minor units as the POS charged them) and its non-sale stock changes
into `StockChange`; an ERP adapter maps those to its own payloads. Neither side knows the
other's wire format, so a new POS dialect works with every ERP adapter and the other way
round.

- `PosOrder`: an order as the POS adapter fetched it (id, completed or not, when it last
  changed) with the raw record the adapter reads its document from.
- `Reading`: what the adapter made of one order: a document, nothing to post, or why not.
- `ErpDocument`: a document mapped to an ERP's payload, as the outbox stores it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from connectors.core.cards import scrub
from connectors.core.errors import MappingError
from domain import Currency

INVOICE = "invoice"
CREDIT_MEMO = "credit_memo"
JOURNAL = "journal"
"""Outbox kinds: a sale's document, a return's, and stock moved without a document."""


@dataclass(frozen=True, slots=True)
class PosOrder:
    """An order as the POS adapter hands it over."""

    id: str
    completed: bool
    """Only completed orders become documents."""
    updated_at: str
    """When the order last changed, in the POS's own sortable form (the polling cursor)."""
    raw: Mapping[str, Any]
    """The POS's record; only its adapter reads it."""


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """One line of a sale or a return; money in minor units, quantities positive."""

    sku: str
    name: str
    quantity: Decimal
    unit_price: int
    """Price per unit before discounts, tax excluded."""
    discount: int
    """Discount of the whole line."""
    tax: int
    """The line's share of the document's tax, as the POS apportioned it."""
    nominal_tax_percent: Decimal | None = None
    """The tax classes' nominal percentage (None when the POS names no tax class)."""
    note: str = ""

    @property
    def gross(self) -> int:
        """Quantity × unit price, rounded half up to the minor unit."""
        return int((self.quantity * self.unit_price).quantize(Decimal(1), ROUND_HALF_UP))

    @property
    def net(self) -> int:
        """`gross` less the discount."""
        return self.gross - self.discount

    @property
    def charged(self) -> int:
        """What the customer paid for the line: `net` plus tax."""
        return self.net + self.tax


@dataclass(frozen=True, slots=True)
class Payment:
    """Money taken (a sale) or given back (a return), in minor units."""

    method: str
    """``cash``, ``card`` or ``other``."""
    amount: int


@dataclass(frozen=True, slots=True)
class PosDocument:
    """A completed POS sale or return (a post-void is a return of the whole sale)."""

    order_id: str
    """The POS's id of the order (named in error messages)."""
    reference: str
    """The transaction id (Square's ``reference_id``): the ERP's external document number
    and the key verification joins on."""
    store_id: str
    currency: str
    is_return: bool
    day: str
    """The business day as the POS wrote it (``YYYY-MM-DD``; may be empty or malformed:
    `business_date` checks it)."""
    lines: tuple[DocumentLine, ...]
    payments: tuple[Payment, ...]
    total: int
    """What the POS says the document is worth (a return: the refund), minor units."""
    note: str = ""
    """Free text of the order (may hold a card number a cashier typed: `scrubbed`)."""

    @property
    def exponent(self) -> int:
        """Decimals of the currency's minor unit."""
        return Currency.of(self.currency).exponent

    @property
    def kind(self) -> str:
        """The outbox kind: `INVOICE` for a sale, `CREDIT_MEMO` for a return."""
        return CREDIT_MEMO if self.is_return else INVOICE

    @property
    def moves(self) -> tuple[tuple[str, Decimal], ...]:
        """(SKU, quantity) per line: what the document moves in stock."""
        return tuple((line.sku, line.quantity) for line in self.lines)

    def business_date(self) -> date:
        """`day` as a date; `MappingError` when it is not one."""
        try:
            return date.fromisoformat(self.day)
        except ValueError:
            raise MappingError(
                f"order {self.order_id!r}: closed_at {self.day!r} is not a date"
            ) from None

    def scrubbed(self) -> PosDocument:
        """The same document with card numbers removed from its notes."""
        return dataclasses.replace(
            self,
            note=scrub(self.note),
            lines=tuple(dataclasses.replace(line, note=scrub(line.note)) for line in self.lines),
        )


@dataclass(frozen=True, slots=True)
class Reading:
    """What a POS adapter made of one order: a document, None (nothing to post), or the
    reason it cannot be read (``error``: the order goes to the dead letters)."""

    order_id: str
    document: PosDocument | None = None
    error: str = ""


@dataclass(frozen=True, slots=True)
class StockChange:
    """Stock moved at a store without a sale or return document (waste, a count, a
    delivery, or the real-time stock of the hybrid mode)."""

    id: str
    """Unique per change: the ERP's external document number (at most 35 characters)."""
    store_id: str
    sku: str
    delta: Decimal
    """Units into (+) or out of (-) the store's stock."""
    description: str


@dataclass(frozen=True, slots=True)
class ErpDocument:
    """A document mapped to one ERP's payload: what the outbox stores and posts."""

    kind: str
    """`INVOICE` or `CREDIT_MEMO`."""
    ext_no: str
    store_id: str
    body: dict[str, Any]
    lines: tuple[tuple[str, Decimal], ...]
    """(SKU, quantity) per line: what the document moves in stock."""

    @property
    def key(self) -> str:
        """Outbox key."""
        return f"{self.kind}:{self.ext_no}"

    @classmethod
    def of(cls, document: PosDocument, body: dict[str, Any]) -> ErpDocument:
        """The outbox entry of ``document`` with the ERP payload ``body``."""
        return cls(document.kind, document.reference, document.store_id, body, document.moves)
