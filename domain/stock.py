"""Stock movements and the three ledgers of stock (DESIGN.md).

A movement is a signed change of on-hand quantity of one SKU in one store. Sales, shrink
and waste take stock out (negative), receipts and returns put it back (positive); counts
and adjustments correct it either way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from domain import _validate
from domain.errors import InvariantError
from domain.ids import Sku
from domain.transactions.returns import Return
from domain.transactions.sale import Sale

__all__ = [
    "Ledger",
    "StockMovement",
    "StockMovementKind",
    "movements_from_return",
    "movements_from_sale",
]


class StockMovementKind(StrEnum):
    """Why stock moved."""

    SALE = "sale"
    RETURN = "return"
    SHRINK = "shrink"
    """Theft and process loss, unseen by the POS until a count."""
    RECEIPT = "receipt"
    COUNT = "count"
    """The correction a physical count makes: counted − book; may be 0."""
    WASTE = "waste"
    ADJUSTMENT = "adjustment"

    @property
    def sign(self) -> int:
        """-1 if the kind only takes stock out, +1 if it only puts stock in, 0 if either."""
        return _SIGNS[self]


_SIGNS = {
    StockMovementKind.SALE: -1,
    StockMovementKind.SHRINK: -1,
    StockMovementKind.WASTE: -1,
    StockMovementKind.RETURN: 1,
    StockMovementKind.RECEIPT: 1,
    StockMovementKind.COUNT: 0,
    StockMovementKind.ADJUSTMENT: 0,
}


class Ledger(StrEnum):
    """The three ledgers of stock: drift is ERP_BOOK − POS_BOOK, inaccuracy POS_BOOK − PHYSICAL."""

    PHYSICAL = "physical"
    POS_BOOK = "pos_book"
    ERP_BOOK = "erp_book"


@dataclass(frozen=True, slots=True)
class StockMovement:
    """A signed change of on-hand stock of one SKU in one store."""

    store_id: str
    sku: Sku
    kind: StockMovementKind
    quantity: Decimal
    """Signed delta: negative takes stock out."""
    occurred_at: datetime
    ref: str | None = None
    """The document that caused it (a txn_id, a receipt number), if any."""

    def __post_init__(self) -> None:
        _validate.identifier("StockMovement.store_id", self.store_id)
        if type(self.sku) is not Sku:
            try:
                object.__setattr__(self, "sku", Sku(self.sku))
            except InvariantError as error:
                raise InvariantError("StockMovement.sku", self.sku, error.reason) from None
        if type(self.kind) is not StockMovementKind:
            try:
                object.__setattr__(self, "kind", StockMovementKind(self.kind))
            except ValueError:
                raise InvariantError.got(
                    "StockMovement.kind",
                    self.kind,
                    f"must be one of {[k.value for k in StockMovementKind]}",
                ) from None
        quantity = _validate.decimal("StockMovement.quantity", self.quantity)
        sign = self.kind.sign
        if sign < 0 and quantity >= 0:
            raise InvariantError.got(
                "StockMovement.quantity", quantity, f"must be < 0 for a {self.kind.value}"
            )
        if sign > 0 and quantity <= 0:
            raise InvariantError.got(
                "StockMovement.quantity", quantity, f"must be > 0 for a {self.kind.value}"
            )
        if self.kind is StockMovementKind.ADJUSTMENT and quantity == 0:
            raise InvariantError.got("StockMovement.quantity", quantity, "must not be 0")
        _validate.moment("StockMovement.occurred_at", self.occurred_at)
        _validate.optional_identifier("StockMovement.ref", self.ref)
        object.__setattr__(self, "quantity", quantity)


def movements_from_sale(sale: Sale) -> list[StockMovement]:
    """One SALE movement per SKU of the sale's lines that are not voided, at completion."""
    return _merge(
        sale.store_id,
        StockMovementKind.SALE,
        ((line.sku, -line.quantity) for line in sale.lines if not line.voided),
        sale.completed_at,
        sale.txn_id,
    )


def movements_from_return(ret: Return) -> list[StockMovement]:
    """One RETURN movement per SKU of the return, at completion (all returns go back on hand)."""
    return _merge(
        ret.store_id,
        StockMovementKind.RETURN,
        ((line.sku, line.quantity) for line in ret.lines),
        ret.completed_at,
        ret.txn_id,
    )


def _merge(
    store_id: str,
    kind: StockMovementKind,
    deltas: Iterable[tuple[Sku, Decimal]],
    at: datetime,
    ref: str,
) -> list[StockMovement]:
    by_sku: dict[Sku, Decimal] = {}
    for sku, quantity in deltas:
        by_sku[sku] = by_sku.get(sku, Decimal(0)) + quantity
    return [StockMovement(store_id, sku, kind, q, at, ref) for sku, q in by_sku.items()]
