"""The public surface of ``domain``: exactly these names, and no pyarrow on import."""

from __future__ import annotations

import subprocess
import sys

import domain

EXPORTED = [
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


def test_all_is_exactly_the_exported_list() -> None:
    assert sorted(domain.__all__) == sorted(EXPORTED)
    assert len(domain.__all__) == len(set(domain.__all__))


def test_every_exported_name_resolves() -> None:
    for name in domain.__all__:
        assert getattr(domain, name) is not None, name


def test_contract_modules_expose_their_names() -> None:
    from domain.erp import credit_memo_from_return, invoice_from_sale
    from domain.money import Money
    from domain.transactions import CardTender, Sale, TaxClass

    assert (Money, Sale, TaxClass, CardTender) == (
        domain.Money,
        domain.Sale,
        domain.TaxClass,
        domain.CardTender,
    )
    assert (invoice_from_sale, credit_memo_from_return) == (
        domain.invoice_from_sale,
        domain.credit_memo_from_return,
    )


def test_importing_domain_pulls_in_neither_pyarrow_nor_hypothesis() -> None:
    code = (
        "import sys, domain; "
        "print(sorted(m for m in ('pyarrow', 'hypothesis', 'pydantic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_domain_imports_nothing_else_of_ours() -> None:
    code = (
        "import sys, domain, domain.rundir, domain.clock; "
        "ours = ('tillbench', 'scenarios', 'simulator', 'mocks', 'connectors', 'reports', 'erps'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ours))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"
