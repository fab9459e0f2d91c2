"""ERP documents: invoice lines, sales invoices, credit memos, item journal lines."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from domain import (
    CreditMemo,
    InvariantError,
    InvoiceLine,
    ItemJournalLine,
    Money,
    SalesInvoice,
    Sku,
    StockMovement,
    StockMovementKind,
    TaxClass,
    journal_line_from_movement,
)

STANDARD = TaxClass("standard", Decimal("0.0825"))
DAY = date(2026, 11, 27)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def invoice_line(tax: str = "0.82", discount: str = "0.00") -> InvoiceLine:
    return InvoiceLine(Sku("A"), Decimal(2), usd("4.99"), usd(discount), STANDARD, usd(tax))


def test_invoice_line_net_matches_the_pos_line() -> None:
    item = invoice_line(discount="1.00", tax="0.74")
    assert item.gross == usd("9.98")
    assert item.net == usd("8.98")


@pytest.mark.parametrize("tax", ["0.82", "0.83"])
def test_invoice_line_tax_within_one_minor_unit(tax: str) -> None:
    assert invoice_line(tax=tax).tax == usd(tax)  # exact 0.82335


def test_invoice_line_tax_far_from_rate_is_refused() -> None:
    with pytest.raises(InvariantError) as caught:
        invoice_line(tax="0.84")
    assert str(caught.value) == (
        "InvoiceLine.tax: must be within one minor unit of rate × net = 0.823350 USD, got 0.84 USD"
    )


def test_invoice_line_discount_not_above_gross() -> None:
    with pytest.raises(InvariantError) as caught:
        invoice_line(discount="10.00", tax="0.00")
    assert str(caught.value) == (
        "InvoiceLine.discount: must not exceed the gross 9.98 USD, got 10.00 USD"
    )


def test_invoice_total_must_add_up() -> None:
    invoice = SalesInvoice("T-1", None, DAY, "USD", [invoice_line()], usd("10.80"), "S001")
    assert (invoice.subtotal, invoice.tax_total) == (usd("9.98"), usd("0.82"))
    with pytest.raises(InvariantError) as caught:
        SalesInvoice("T-1", None, DAY, "USD", [invoice_line()], usd("10.81"))
    assert str(caught.value) == (
        "SalesInvoice.total: must equal the lines' net 9.98 USD + tax 0.82 USD = 10.80 USD, "
        "got 10.81 USD"
    )


def test_invoice_needs_lines_in_its_currency() -> None:
    with pytest.raises(InvariantError) as caught:
        SalesInvoice("T-1", None, DAY, "USD", [], usd("0"))
    assert str(caught.value) == "SalesInvoice.lines: must hold at least one line, got 0"
    with pytest.raises(InvariantError) as caught:
        SalesInvoice("T-1", None, DAY, "EUR", [invoice_line()], Money.of("10.80", "EUR"))
    assert str(caught.value) == (
        "SalesInvoice.lines[0].unit_price: must be in the document currency EUR, got 4.99 USD"
    )


def test_credit_memo_references_the_original() -> None:
    memo = CreditMemo("RT-1", "CU-1", DAY, "USD", [invoice_line()], usd("10.80"), "T-1")
    assert memo.original_document_number == "T-1"
    with pytest.raises(InvariantError, match=r"^CreditMemo\.total: must equal"):
        CreditMemo("RT-1", None, DAY, "USD", [invoice_line()], usd("1.00"))


def test_item_journal_line() -> None:
    entry = ItemJournalLine("S001", "A", Decimal(-2), "shrink", "CNT-1")  # type: ignore[arg-type]
    assert entry.reason is StockMovementKind.SHRINK
    assert type(entry.sku) is Sku
    with pytest.raises(InvariantError) as caught:
        ItemJournalLine("S001", Sku("A"), Decimal(0), StockMovementKind.COUNT, "CNT-1")
    assert str(caught.value) == "ItemJournalLine.quantity_delta: must not be 0, got 0"


def test_journal_line_from_movement() -> None:
    move = StockMovement(
        "S001", Sku("A"), StockMovementKind.WASTE, Decimal(-1), datetime(2026, 11, 27), "W-7"
    )
    entry = journal_line_from_movement(move)
    assert (entry.store_id, entry.sku, entry.quantity_delta, entry.reason) == (
        "S001",
        "A",
        Decimal(-1),
        StockMovementKind.WASTE,
    )
    assert entry.external_document_number == "W-7"
    unreferenced = StockMovement(
        "S001", Sku("A"), StockMovementKind.WASTE, Decimal(-1), datetime(2026, 11, 27)
    )
    assert (
        journal_line_from_movement(
            unreferenced, external_document_number="J-1"
        ).external_document_number
        == "J-1"
    )
    with pytest.raises(InvariantError, match="must be given when the movement has no ref"):
        journal_line_from_movement(unreferenced)
