"""Returns: receipted (referencing the original sale and line) or unreceipted."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given

from domain import InvariantError, Money, Return, ReturnLine, Sku, TaxClass
from tests.domain.strategies import returns

STANDARD = TaxClass("standard", Decimal("0.0825"))
ReturnFactory = Callable[..., Return]


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def back(line_no: int, original: str | None = "T-1", original_line: int | None = 1) -> ReturnLine:
    return ReturnLine(
        line_no, Sku(f"SKU-{line_no}"), Decimal(1), usd("10.00"), STANDARD, original, original_line
    )


def test_receipted_return(return_: ReturnFactory) -> None:
    refund = return_([back(1), back(2, original_line=2)], "21.65")
    assert refund.subtotal == usd("20.00")
    assert refund.tax_total == usd("1.65")
    assert refund.total == usd("21.65")
    assert refund.original_txn_id == "T-1"


def test_unreceipted_return(return_: ReturnFactory) -> None:
    refund = return_([back(1, None, None)], "10.83", receipted=False)
    assert refund.original_txn_id is None
    assert refund.total == usd("10.83")


def test_receipted_return_must_reference_the_original(return_: ReturnFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        return_([back(1), back(2, None, None)], "21.65")
    assert str(caught.value) == (
        "Return.lines[1].original_txn_id: must name the original sale on a receipted return, "
        "got None; set receipted=False for a return without a receipt"
    )


def test_unreceipted_return_references_nothing(return_: ReturnFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        return_([back(1)], "10.83", receipted=False)
    assert str(caught.value) == (
        "Return.lines[0].original_txn_id: must be None on an unreceipted return, got 'T-1'; "
        "set receipted=True to return against a receipt"
    )


def test_one_receipt_per_return(return_: ReturnFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        return_([back(1), back(2, "T-2")], "21.65")
    assert str(caught.value) == (
        "Return.lines[1].original_txn_id: must be the receipt 'T-1' of line 0, got 'T-2'"
    )


def test_a_return_cannot_reference_itself(return_: ReturnFactory) -> None:
    with pytest.raises(InvariantError, match=r"^Return\.lines\[0\]\.original_txn_id: must differ"):
        return_([back(1, "RT-1")], "10.83")


def test_refund_tenders_cover_the_total(return_: ReturnFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        return_([back(1)], "10.00")
    assert str(caught.value) == "Return.tenders: tenders 10.00 USD do not cover total 10.83 USD"


def test_a_return_needs_lines(return_: ReturnFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        return_([], "1.00")
    assert str(caught.value) == "Return.lines: must hold at least one line, got 0"


@given(returns())
def test_random_returns_satisfy_their_invariants(refund: Return) -> None:
    zero = Money.zero(refund.currency)
    assert refund.subtotal == sum((line.net for line in refund.lines), zero)
    assert refund.total == refund.subtotal + refund.tax_total
    assert sum((t.amount for t in refund.tenders), zero) == refund.total
    assert all(line.receipted == refund.receipted for line in refund.lines)
