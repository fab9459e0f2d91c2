"""Item journal lines: stock corrections posted to the ERP outside sales documents."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from domain import _validate
from domain.errors import InvariantError
from domain.ids import Sku
from domain.stock import StockMovement, StockMovementKind

__all__ = ["ItemJournalLine", "journal_line_from_movement"]


@dataclass(frozen=True, slots=True)
class ItemJournalLine:
    """A signed stock correction of one SKU at one store (shrink, waste, count, receipt…)."""

    store_id: str
    sku: Sku
    quantity_delta: Decimal
    reason: StockMovementKind
    external_document_number: str

    def __post_init__(self) -> None:
        _validate.identifier("ItemJournalLine.store_id", self.store_id)
        if type(self.sku) is not Sku:
            try:
                object.__setattr__(self, "sku", Sku(self.sku))
            except InvariantError as error:
                raise InvariantError("ItemJournalLine.sku", self.sku, error.reason) from None
        delta = _validate.decimal("ItemJournalLine.quantity_delta", self.quantity_delta)
        if delta == 0:
            raise InvariantError.got("ItemJournalLine.quantity_delta", delta, "must not be 0")
        if type(self.reason) is not StockMovementKind:
            try:
                object.__setattr__(self, "reason", StockMovementKind(self.reason))
            except ValueError:
                raise InvariantError.got(
                    "ItemJournalLine.reason",
                    self.reason,
                    f"must be one of {[k.value for k in StockMovementKind]}",
                ) from None
        _validate.identifier(
            "ItemJournalLine.external_document_number", self.external_document_number
        )
        object.__setattr__(self, "quantity_delta", delta)


def journal_line_from_movement(
    movement: StockMovement, *, external_document_number: str | None = None
) -> ItemJournalLine:
    """The journal line that books ``movement`` in the ERP; the document number defaults to
    the movement's ``ref``."""
    number = external_document_number if external_document_number is not None else movement.ref
    if number is None:
        raise InvariantError.got(
            "ItemJournalLine.external_document_number",
            None,
            "must be given when the movement has no ref",
        )
    return ItemJournalLine(
        movement.store_id, movement.sku, movement.quantity, movement.kind, number
    )
