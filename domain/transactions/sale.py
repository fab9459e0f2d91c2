"""The sale: an ARTS POSLog retail transaction of sale line items, tax and tenders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from domain import _validate
from domain.errors import InvariantError
from domain.money import Money, Rounding
from domain.transactions import _document
from domain.transactions.lines import SaleLine
from domain.transactions.tax import TaxLine, TaxRounding, compute_tax_lines
from domain.transactions.tenders import Tender

__all__ = ["Sale"]


@dataclass(frozen=True, slots=True)
class Sale:
    """A completed sale. Totals are computed, and checked against the tenders, on construction.

    ``subtotal`` is the sum of the nets of the lines that are not voided; ``tax_lines`` apply
    ``tax_rounding`` with ``rounding``; ``total = subtotal + tax_total`` and the tender amounts
    add up to exactly ``total`` (cash change is carried on the cash tender).
    """

    txn_id: str
    store_id: str
    register_id: str
    cashier_id: str
    customer_id: str | None
    business_day: date
    started_at: datetime
    completed_at: datetime
    currency: str
    lines: Sequence[SaleLine]
    tenders: Sequence[Tender]
    tax_rounding: TaxRounding
    rounding: Rounding
    notes: str = ""
    """Free text typed at the till; real data is dirty (it may hold a card number)."""
    subtotal: Money = field(init=False, repr=False, compare=False)
    tax_lines: tuple[TaxLine, ...] = field(init=False, repr=False, compare=False)
    tax_total: Money = field(init=False, repr=False, compare=False)
    total: Money = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        _document.header(
            "Sale",
            txn_id=self.txn_id,
            store_id=self.store_id,
            register_id=self.register_id,
            cashier_id=self.cashier_id,
            customer_id=self.customer_id,
            business_day=self.business_day,
            started_at=self.started_at,
            completed_at=self.completed_at,
            currency=self.currency,
        )
        rule = _document.enum_value("Sale.tax_rounding", self.tax_rounding, TaxRounding)
        rounding = _document.enum_value("Sale.rounding", self.rounding, Rounding)
        lines = _validate.tuple_of("Sale.lines", self.lines, SaleLine)
        if not isinstance(self.notes, str):
            raise InvariantError.got("Sale.notes", self.notes, "must be a string")
        _document.unique_line_numbers("Sale.lines", [line.line_no for line in lines])
        taxed = []
        positions = []
        subtotal = Money.zero(self.currency)
        for index, line in enumerate(lines):
            _document.same_currency(
                f"Sale.lines[{index}].unit_price", line.unit_price, self.currency
            )
            if not line.voided:
                taxed.append((line.tax_class, line.net))
                positions.append(index)
                subtotal = subtotal + line.net
        if not taxed:
            raise InvariantError.got(
                "Sale.lines",
                len(lines),
                "must hold at least one line that is not voided",
                "record an abandoned sale as a Cancel",
            )
        tax_lines = compute_tax_lines(
            taxed,
            currency=self.currency,
            rule=rule,
            rounding=rounding,
            field="Sale.lines",
            positions=positions,
        )
        tax_total = _document.tax_total(tax_lines, self.currency)
        total = subtotal + tax_total
        set_(self, "tenders", _document.tenders("Sale", self.tenders, total))
        set_(self, "lines", lines)
        set_(self, "tax_rounding", rule)
        set_(self, "rounding", rounding)
        set_(self, "subtotal", subtotal)
        set_(self, "tax_lines", tax_lines)
        set_(self, "tax_total", tax_total)
        set_(self, "total", total)

    @property
    def active_lines(self) -> tuple[SaleLine, ...]:
        """The lines that count: every line except the voided ones."""
        return tuple(line for line in self.lines if not line.voided)
