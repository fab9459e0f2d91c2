"""ERP sales documents: the sales invoice and the credit memo, with their lines.

Shaped after a popular ERP REST API (salesInvoices with salesInvoiceLines): the document
carries the POS transaction id as ``external_document_number``, which is the key the
exactly-once verdict matches on. Amounts are positive on both document types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain import _validate
from domain.errors import CurrencyMismatchError, InvariantError
from domain.ids import Sku
from domain.money import Currency, Money
from domain.transactions.lines import EXTENDED_PRICE_ROUNDING
from domain.transactions.tax import TaxClass

__all__ = ["CreditMemo", "InvoiceLine", "SalesInvoice"]


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """An item line of an invoice or credit memo; tax is the line's share of the class tax."""

    item_sku: Sku
    quantity: Decimal
    unit_price: Money
    discount: Money
    tax_class: TaxClass
    tax: Money
    """Within one minor unit of rate × net (the document's rounding rule decides which side)."""
    gross: Money = field(init=False, repr=False, compare=False)
    net: Money = field(init=False, repr=False, compare=False)
    """round_half_up(quantity × unit_price) − discount, as on the POS line."""

    def __post_init__(self) -> None:
        if type(self.item_sku) is not Sku:
            try:
                object.__setattr__(self, "item_sku", Sku(self.item_sku))
            except InvariantError as error:
                raise InvariantError("InvoiceLine.item_sku", self.item_sku, error.reason) from None
        quantity = _validate.decimal("InvoiceLine.quantity", self.quantity)
        if quantity <= 0:
            raise InvariantError.got("InvoiceLine.quantity", quantity, "must be > 0")
        price = _validate.instance("InvoiceLine.unit_price", self.unit_price, Money)
        if price.amount < 0:
            raise InvariantError.got("InvoiceLine.unit_price", price, "must be >= 0")
        _validate.instance("InvoiceLine.tax_class", self.tax_class, TaxClass)
        for name in ("discount", "tax"):
            money = _validate.instance(f"InvoiceLine.{name}", getattr(self, name), Money)
            if money.currency != price.currency:
                raise CurrencyMismatchError.got(
                    f"InvoiceLine.{name}", money, f"must be in {price.currency} like unit_price"
                )
            if money.amount < 0 or not money.is_quantized():
                raise InvariantError.got(
                    f"InvoiceLine.{name}",
                    money,
                    f"must be >= 0 and in whole minor units of {price.currency}",
                )
        gross = (price * quantity).quantize(EXTENDED_PRICE_ROUNDING)
        if self.discount > gross:
            raise InvariantError.got(
                "InvoiceLine.discount", self.discount, f"must not exceed the gross {gross}"
            )
        net = gross - self.discount
        exact_tax = net * self.tax_class.rate
        if abs(self.tax - exact_tax) >= Money(price.quantum, price.currency):
            raise InvariantError.got(
                "InvoiceLine.tax",
                self.tax,
                f"must be within one minor unit of rate × net = {exact_tax.amount} "
                f"{price.currency}",
            )
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "gross", gross)
        object.__setattr__(self, "net", net)


def _check_document(
    kind: str,
    *,
    external_document_number: object,
    customer_id: object,
    posting_date: object,
    currency: object,
    lines: Sequence[InvoiceLine],
    total: object,
    store_id: object,
) -> tuple[tuple[InvoiceLine, ...], Money, Money]:
    """Validate an ERP document; return its lines as a tuple, its subtotal and tax total."""
    _validate.identifier(f"{kind}.external_document_number", external_document_number)
    _validate.optional_identifier(f"{kind}.customer_id", customer_id)
    _validate.day(f"{kind}.posting_date", posting_date)
    _validate.optional_identifier(f"{kind}.store_id", store_id)
    if not isinstance(currency, str):
        raise InvariantError.got(f"{kind}.currency", currency, "must be an ISO 4217 code")
    try:
        Currency.of(currency)
    except InvariantError as error:
        raise InvariantError(f"{kind}.currency", currency, error.reason) from None
    items = _validate.tuple_of(f"{kind}.lines", lines, InvoiceLine)
    if not items:
        raise InvariantError.got(f"{kind}.lines", 0, "must hold at least one line")
    subtotal = Money.zero(currency)
    tax_total = Money.zero(currency)
    for index, line in enumerate(items):
        if line.unit_price.currency != currency:
            raise CurrencyMismatchError.got(
                f"{kind}.lines[{index}].unit_price",
                line.unit_price,
                f"must be in the document currency {currency}",
            )
        subtotal = subtotal + line.net
        tax_total = tax_total + line.tax
    expected = subtotal + tax_total
    money = _validate.instance(f"{kind}.total", total, Money)
    if money.currency != currency or money != expected:
        raise InvariantError.got(
            f"{kind}.total",
            money,
            f"must equal the lines' net {subtotal} + tax {tax_total} = {expected}",
        )
    return items, subtotal, tax_total


@dataclass(frozen=True, slots=True)
class SalesInvoice:
    """A posted sale in the ERP: one per POS sale, keyed by the sale's txn_id."""

    external_document_number: str
    customer_id: str | None
    """None: the ERP's walk-in (cash) customer of the store."""
    posting_date: date
    currency: str
    lines: Sequence[InvoiceLine]
    total: Money
    """Must equal the sum of the lines' net and tax."""
    store_id: str | None = None
    """The location whose stock the invoice moves."""
    subtotal: Money = field(init=False, repr=False, compare=False)
    tax_total: Money = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lines, subtotal, tax_total = _check_document(
            "SalesInvoice",
            external_document_number=self.external_document_number,
            customer_id=self.customer_id,
            posting_date=self.posting_date,
            currency=self.currency,
            lines=self.lines,
            total=self.total,
            store_id=self.store_id,
        )
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "subtotal", subtotal)
        object.__setattr__(self, "tax_total", tax_total)


@dataclass(frozen=True, slots=True)
class CreditMemo:
    """A refund in the ERP: one per POS return; references the original sale when receipted."""

    external_document_number: str
    customer_id: str | None
    posting_date: date
    currency: str
    lines: Sequence[InvoiceLine]
    total: Money
    original_document_number: str | None = None
    """The external document number of the original sale; None when unreceipted."""
    store_id: str | None = None
    subtotal: Money = field(init=False, repr=False, compare=False)
    tax_total: Money = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lines, subtotal, tax_total = _check_document(
            "CreditMemo",
            external_document_number=self.external_document_number,
            customer_id=self.customer_id,
            posting_date=self.posting_date,
            currency=self.currency,
            lines=self.lines,
            total=self.total,
            store_id=self.store_id,
        )
        _validate.optional_identifier(
            "CreditMemo.original_document_number", self.original_document_number
        )
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "subtotal", subtotal)
        object.__setattr__(self, "tax_total", tax_total)
