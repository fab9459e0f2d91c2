"""tillbench's shared vocabulary: money, item ids, parties, POS transactions after the ARTS
POSLog shape, stock movements, ERP documents and the run's one clock (``RunClock``).

``domain`` imports nothing else of tillbench's. Everything public is re-exported here;
the run-directory contract lives in :mod:`domain.rundir` (imported on demand: it needs
pyarrow).

Example::

    from decimal import Decimal
    from domain import Money, Rounding, SaleLine, Sku, TaxClass

    line = SaleLine(1, Sku("APL-1"), None, Decimal("3"), Money.of("0.99", "USD"), (),
                    TaxClass("food", Decimal("0")))
    line.net  # Money(amount=Decimal('2.97'), currency='USD')
"""

from domain.clock import RunClock
from domain.erp import (
    CreditMemo,
    InvoiceLine,
    ItemJournalLine,
    SalesInvoice,
    credit_memo_from_return,
    invoice_from_sale,
    journal_line_from_movement,
)
from domain.errors import CurrencyMismatchError, DomainError, InvariantError
from domain.ids import Gtin, Sku, gtin_check_digit
from domain.money import CURRENCIES, Currency, Money, Rounding, round_money, sum_money
from domain.parties import REGISTER_KINDS, Cashier, Customer, Register, RegisterKind, Store
from domain.stock import (
    Ledger,
    StockMovement,
    StockMovementKind,
    movements_from_return,
    movements_from_sale,
)
from domain.transactions import (
    EXTENDED_PRICE_ROUNDING,
    TENDER_TYPES,
    Cancel,
    CardBrand,
    CardFunding,
    CardTender,
    CashTender,
    Discount,
    MobileTender,
    OtherTender,
    PostVoid,
    Return,
    ReturnLine,
    Sale,
    SaleLine,
    TaxClass,
    TaxLine,
    TaxRounding,
    Tender,
    compute_tax_lines,
    line_taxes,
)

__all__ = [
    "CURRENCIES",
    "EXTENDED_PRICE_ROUNDING",
    "REGISTER_KINDS",
    "TENDER_TYPES",
    "Cancel",
    "CardBrand",
    "CardFunding",
    "CardTender",
    "CashTender",
    "Cashier",
    "CreditMemo",
    "Currency",
    "CurrencyMismatchError",
    "Customer",
    "Discount",
    "DomainError",
    "Gtin",
    "InvariantError",
    "InvoiceLine",
    "ItemJournalLine",
    "Ledger",
    "MobileTender",
    "Money",
    "OtherTender",
    "PostVoid",
    "Register",
    "RegisterKind",
    "Return",
    "ReturnLine",
    "Rounding",
    "RunClock",
    "Sale",
    "SaleLine",
    "SalesInvoice",
    "Sku",
    "StockMovement",
    "StockMovementKind",
    "Store",
    "TaxClass",
    "TaxLine",
    "TaxRounding",
    "Tender",
    "compute_tax_lines",
    "credit_memo_from_return",
    "gtin_check_digit",
    "invoice_from_sale",
    "journal_line_from_movement",
    "line_taxes",
    "movements_from_return",
    "movements_from_sale",
    "round_money",
    "sum_money",
]
