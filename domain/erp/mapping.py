"""Map POS documents to ERP documents without losing a cent or a unit.

``invoice_from_sale`` keeps every line that is not voided, its quantity, price and
discounts, and apportions each tax class's tax over its lines so that the invoice total
equals the sale total exactly, whichever tax rounding rule the sale used.
"""

from __future__ import annotations

from domain.erp.documents import CreditMemo, InvoiceLine, SalesInvoice
from domain.money import Money
from domain.transactions.returns import Return
from domain.transactions.sale import Sale
from domain.transactions.tax import line_taxes

__all__ = ["credit_memo_from_return", "invoice_from_sale"]


def invoice_from_sale(sale: Sale) -> SalesInvoice:
    """The sales invoice for ``sale``: same lines (voided ones left out), same total."""
    active = sale.active_lines
    taxes = line_taxes(
        [(line.tax_class, line.net) for line in active],
        sale.tax_lines,
        rule=sale.tax_rounding,
        rounding=sale.rounding,
    )
    lines = [
        InvoiceLine(
            line.sku, line.quantity, line.unit_price, line.discount_total, line.tax_class, tax
        )
        for line, tax in zip(active, taxes, strict=True)
    ]
    return SalesInvoice(
        external_document_number=sale.txn_id,
        customer_id=sale.customer_id,
        posting_date=sale.business_day,
        currency=sale.currency,
        lines=lines,
        total=sale.total,
        store_id=sale.store_id,
    )


def credit_memo_from_return(ret: Return) -> CreditMemo:
    """The credit memo for ``ret``: same lines and quantities, same total."""
    taxes = line_taxes(
        [(line.tax_class, line.net) for line in ret.lines],
        ret.tax_lines,
        rule=ret.tax_rounding,
        rounding=ret.rounding,
    )
    zero = Money.zero(ret.currency)
    lines = [
        InvoiceLine(line.sku, line.quantity, line.unit_price, zero, line.tax_class, tax)
        for line, tax in zip(ret.lines, taxes, strict=True)
    ]
    return CreditMemo(
        external_document_number=ret.txn_id,
        customer_id=ret.customer_id,
        posting_date=ret.business_day,
        currency=ret.currency,
        lines=lines,
        total=ret.total,
        original_document_number=ret.original_txn_id,
        store_id=ret.store_id,
    )
