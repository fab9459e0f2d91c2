"""invoice_from_sale and credit_memo_from_return keep totals and quantities exactly."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from hypothesis import given

from domain import (
    Discount,
    Money,
    Return,
    Sale,
    SaleLine,
    TaxClass,
    TaxRounding,
    credit_memo_from_return,
    invoice_from_sale,
)
from tests.domain.strategies import returns, sales

STANDARD = TaxClass("standard", Decimal("0.0825"))


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_per_document_tax_is_apportioned_to_the_cent(
    line: Callable[..., SaleLine], sale: Callable[..., Sale]
) -> None:
    receipt = sale([line(1, "1", "0.10"), line(2, "1", "0.10"), line(3, "1", "0.10")])
    assert receipt.tax_total == usd("0.02")  # per line it would be 0.03
    invoice = invoice_from_sale(receipt)
    assert [item.tax for item in invoice.lines] == [usd("0.01"), usd("0.01"), usd("0")]
    assert invoice.total == receipt.total


def test_invoice_keeps_discounts_and_drops_voided_lines(
    line: Callable[..., SaleLine], sale: Callable[..., Sale]
) -> None:
    receipt = sale(
        [
            line(
                1, "2", "4.99", discounts=(Discount("a", usd("0.50")), Discount("b", usd("0.25")))
            ),
            line(2, "1", "9.99", voided=True),
        ],
        customer_id="CU-1",
    )
    invoice = invoice_from_sale(receipt)
    assert invoice.external_document_number == "T-1"
    assert (invoice.customer_id, invoice.store_id) == ("CU-1", "S001")
    assert invoice.posting_date == receipt.business_day
    assert len(invoice.lines) == 1
    assert invoice.lines[0].discount == usd("0.75")
    assert invoice.lines[0].net == receipt.lines[0].net


@given(sales())
def test_invoice_preserves_totals_and_quantities(receipt: Sale) -> None:
    invoice = invoice_from_sale(receipt)
    active = receipt.active_lines
    assert invoice.total == receipt.total
    assert invoice.subtotal == receipt.subtotal
    assert invoice.tax_total == receipt.tax_total
    assert [(i.item_sku, i.quantity) for i in invoice.lines] == [
        (s.sku, s.quantity) for s in active
    ]
    assert [i.net for i in invoice.lines] == [s.net for s in active]
    if receipt.tax_rounding is TaxRounding.PER_LINE:
        assert all(
            i.tax == (i.net * i.tax_class.rate).quantize(receipt.rounding) for i in invoice.lines
        )


@given(returns())
def test_credit_memo_preserves_totals_and_quantities(refund: Return) -> None:
    memo = credit_memo_from_return(refund)
    assert memo.total == refund.total
    assert memo.tax_total == refund.tax_total
    assert [(i.item_sku, i.quantity, i.net) for i in memo.lines] == [
        (r.sku, r.quantity, r.net) for r in refund.lines
    ]
    assert memo.original_document_number == refund.original_txn_id
    assert memo.external_document_number == refund.txn_id
