"""Line items of sales and returns (ARTS sale/return line items with price modifiers).

A line's extended price, quantity × unit price, is rounded half-up to the minor unit (as
POS scales and registers print it); discounts are whole minor units and are taken from
that rounded price: ``net = round_half_up(quantity × unit_price) − discounts``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from domain import _validate
from domain.errors import CurrencyMismatchError, InvariantError
from domain.ids import Gtin, Sku
from domain.money import Money, Rounding
from domain.transactions.tax import TaxClass

__all__ = ["EXTENDED_PRICE_ROUNDING", "Discount", "ReturnLine", "SaleLine"]

EXTENDED_PRICE_ROUNDING = Rounding.HALF_UP
"""Rounding of quantity × unit price on every line."""


def _line_no(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvariantError.got(field, value, "must be an int >= 1")
    return value


def _quantity(owner: str, value: object) -> Decimal:
    quantity = _validate.decimal(f"{owner}.quantity", value)
    if quantity <= 0:
        raise InvariantError.got(f"{owner}.quantity", quantity, "must be > 0")
    return quantity


def _unit_price(owner: str, value: object) -> Money:
    price = _validate.instance(f"{owner}.unit_price", value, Money)
    if price.amount < 0:
        raise InvariantError.got(f"{owner}.unit_price", price, "must be >= 0")
    return price


def _sku(owner: str, value: object) -> Sku:
    if type(value) is Sku:
        return value
    try:
        return Sku(value)  # type: ignore[arg-type]
    except InvariantError as error:
        raise InvariantError(f"{owner}.sku", value, error.reason) from None


@dataclass(frozen=True, slots=True)
class Discount:
    """A price reduction on one line (ARTS price modifier): a reason and a positive amount."""

    reason: str
    amount: Money

    def __post_init__(self) -> None:
        _validate.text("Discount.reason", self.reason)
        amount = _validate.instance("Discount.amount", self.amount, Money)
        if amount.amount <= 0:
            raise InvariantError.got("Discount.amount", amount, "must be > 0")
        if not amount.is_quantized():
            raise InvariantError.got(
                "Discount.amount", amount, f"must be whole minor units of {amount.currency}"
            )


@dataclass(frozen=True, slots=True)
class SaleLine:
    """One item sold. A line void is the same line with ``voided=True``: kept, not counted."""

    line_no: int
    sku: Sku
    gtin: Gtin | None
    quantity: Decimal
    """Units, or weight for items sold by weight; always > 0."""
    unit_price: Money
    discounts: Sequence[Discount]
    tax_class: TaxClass
    voided: bool = False
    gross: Money = field(init=False, repr=False, compare=False)
    """round_half_up(quantity × unit_price)."""
    discount_total: Money = field(init=False, repr=False, compare=False)
    net: Money = field(init=False, repr=False, compare=False)
    """gross − discount_total: the taxable amount of the line."""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        _line_no("SaleLine.line_no", self.line_no)
        set_(self, "sku", _sku("SaleLine", self.sku))
        if self.gtin is not None and type(self.gtin) is not Gtin:
            try:
                set_(self, "gtin", Gtin(self.gtin))
            except InvariantError as error:
                raise InvariantError("SaleLine.gtin", self.gtin, error.reason) from None
        quantity = _quantity("SaleLine", self.quantity)
        price = _unit_price("SaleLine", self.unit_price)
        discounts = _validate.tuple_of("SaleLine.discounts", self.discounts, Discount)
        _validate.instance("SaleLine.tax_class", self.tax_class, TaxClass)
        if not isinstance(self.voided, bool):
            raise InvariantError.got("SaleLine.voided", self.voided, "must be a bool")
        gross = (price * quantity).quantize(EXTENDED_PRICE_ROUNDING)
        discount_total = Money.zero(price.currency)
        for index, discount in enumerate(discounts):
            if discount.amount.currency != price.currency:
                raise CurrencyMismatchError.got(
                    f"SaleLine.discounts[{index}].amount",
                    discount.amount,
                    f"must be in {price.currency} like unit_price",
                )
            discount_total = discount_total + discount.amount
        if discount_total > gross:
            raise InvariantError(
                "SaleLine.discounts",
                discount_total,
                f"discounts {discount_total} exceed gross {gross} "
                f"({quantity} × {price}); cap the discount at the gross",
            )
        set_(self, "quantity", quantity)
        set_(self, "discounts", discounts)
        set_(self, "gross", gross)
        set_(self, "discount_total", discount_total)
        set_(self, "net", gross - discount_total)

    def void(self) -> SaleLine:
        """This line, voided (a line void: it stays on the receipt but not in the totals)."""
        return replace(self, voided=True)


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One item brought back. A receipted return names the original sale and line."""

    line_no: int
    sku: Sku
    quantity: Decimal
    """Units returned; always > 0 (the document type says it is a return)."""
    unit_price: Money
    """Refund per unit: normally the original line's net per unit."""
    tax_class: TaxClass
    original_txn_id: str | None = None
    original_line_no: int | None = None
    net: Money = field(init=False, repr=False, compare=False)
    """round_half_up(quantity × unit_price): the refunded amount before tax."""

    def __post_init__(self) -> None:
        _line_no("ReturnLine.line_no", self.line_no)
        object.__setattr__(self, "sku", _sku("ReturnLine", self.sku))
        quantity = _quantity("ReturnLine", self.quantity)
        price = _unit_price("ReturnLine", self.unit_price)
        _validate.instance("ReturnLine.tax_class", self.tax_class, TaxClass)
        _validate.optional_identifier("ReturnLine.original_txn_id", self.original_txn_id)
        if self.original_line_no is not None:
            _line_no("ReturnLine.original_line_no", self.original_line_no)
        if (self.original_txn_id is None) != (self.original_line_no is None):
            raise InvariantError.got(
                "ReturnLine.original_line_no",
                self.original_line_no,
                f"must be set exactly when original_txn_id is (it is {self.original_txn_id!r})",
            )
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "net", (price * quantity).quantize(EXTENDED_PRICE_ROUNDING))

    @property
    def receipted(self) -> bool:
        """True when the line references an original sale line."""
        return self.original_txn_id is not None
