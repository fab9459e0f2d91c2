"""ERP documents: sales invoices, credit memos, item journal lines, and the mappings from
POS sales and returns.

Modules: :mod:`.documents`, :mod:`.journal`, :mod:`.mapping`.
"""

from domain.erp.documents import CreditMemo, InvoiceLine, SalesInvoice
from domain.erp.journal import ItemJournalLine, journal_line_from_movement
from domain.erp.mapping import credit_memo_from_return, invoice_from_sale

__all__ = [
    "CreditMemo",
    "InvoiceLine",
    "ItemJournalLine",
    "SalesInvoice",
    "credit_memo_from_return",
    "invoice_from_sale",
    "journal_line_from_movement",
]
