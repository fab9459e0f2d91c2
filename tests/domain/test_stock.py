"""Stock movements: signed deltas whose sign follows their kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest
from hypothesis import given

from domain import (
    InvariantError,
    Ledger,
    Return,
    Sale,
    SaleLine,
    Sku,
    StockMovement,
    StockMovementKind,
    movements_from_return,
    movements_from_sale,
)
from tests.domain.strategies import returns, sales

AT = datetime(2026, 11, 27, 12)


def test_kinds_and_ledgers() -> None:
    assert [k.value for k in StockMovementKind] == [
        "sale", "return", "shrink", "receipt", "count", "waste", "adjustment",
    ]  # fmt: skip
    assert [ledger.value for ledger in Ledger] == ["physical", "pos_book", "erp_book"]


@pytest.mark.parametrize(
    ("kind", "quantity", "message"),
    [
        ("sale", "1", "StockMovement.quantity: must be < 0 for a sale, got 1"),
        ("shrink", "0", "StockMovement.quantity: must be < 0 for a shrink, got 0"),
        ("waste", "2", "StockMovement.quantity: must be < 0 for a waste, got 2"),
        ("return", "-1", "StockMovement.quantity: must be > 0 for a return, got -1"),
        ("receipt", "0", "StockMovement.quantity: must be > 0 for a receipt, got 0"),
        ("adjustment", "0", "StockMovement.quantity: must not be 0, got 0"),
    ],
)
def test_sign_follows_kind(kind: str, quantity: str, message: str) -> None:
    with pytest.raises(InvariantError) as caught:
        StockMovement("S001", "A", kind, Decimal(quantity), AT)  # type: ignore[arg-type]
    assert str(caught.value) == message


def test_counts_and_adjustments_go_either_way() -> None:
    count = StockMovement("S001", Sku("A"), StockMovementKind.COUNT, Decimal(0), AT)
    assert count.quantity == 0
    adjustment = StockMovement("S001", "A", "adjustment", Decimal(-3), AT)  # type: ignore[arg-type]
    assert adjustment.kind is StockMovementKind.ADJUSTMENT
    assert type(adjustment.sku) is Sku


def test_movements_from_sale_merge_skus_and_skip_voids(
    line: Callable[..., SaleLine], sale: Callable[..., Sale]
) -> None:
    first = line(1, "2", "1.00")
    again = SaleLine(2, first.sku, None, Decimal(3), first.unit_price, (), first.tax_class)
    receipt = sale([first, again, line(3, "5", "1.00", voided=True)])
    moves = movements_from_sale(receipt)
    assert [(m.sku, m.kind, m.quantity, m.ref) for m in moves] == [
        ("SKU-1", StockMovementKind.SALE, Decimal(-5), "T-1")
    ]
    assert moves[0].occurred_at == receipt.completed_at


@given(sales())
def test_sale_movements_conserve_quantity(receipt: Sale) -> None:
    sold = sum((line.quantity for line in receipt.lines if not line.voided), Decimal(0))
    assert sum((m.quantity for m in movements_from_sale(receipt)), Decimal(0)) == -sold


@given(returns())
def test_return_movements_conserve_quantity(refund: Return) -> None:
    back = sum((line.quantity for line in refund.lines), Decimal(0))
    moves = movements_from_return(refund)
    assert sum((m.quantity for m in moves), Decimal(0)) == back
    assert all(m.kind is StockMovementKind.RETURN for m in moves)
