"""The return: an ARTS POSLog transaction of return line items, tax and refund tenders.

A receipted return names the original sale (one receipt per return) and, on every line,
the original line; an unreceipted return names none. Amounts are positive: the document
type says money goes back to the customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from domain import _validate
from domain.errors import InvariantError
from domain.money import Money, Rounding
from domain.transactions import _document
from domain.transactions.lines import ReturnLine
from domain.transactions.tax import TaxLine, TaxRounding, compute_tax_lines
from domain.transactions.tenders import Tender

__all__ = ["Return"]


@dataclass(frozen=True, slots=True)
class Return:
    """Items brought back and refunded; totals computed and checked like a :class:`Sale`."""

    txn_id: str
    store_id: str
    register_id: str
    cashier_id: str
    customer_id: str | None
    business_day: date
    started_at: datetime
    completed_at: datetime
    currency: str
    lines: Sequence[ReturnLine]
    tenders: Sequence[Tender]
    """Refund tenders; their amounts add up to ``total``."""
    tax_rounding: TaxRounding
    rounding: Rounding
    receipted: bool
    notes: str = ""
    subtotal: Money = field(init=False, repr=False, compare=False)
    tax_lines: tuple[TaxLine, ...] = field(init=False, repr=False, compare=False)
    tax_total: Money = field(init=False, repr=False, compare=False)
    total: Money = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        _document.header(
            "Return",
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
        rule = _document.enum_value("Return.tax_rounding", self.tax_rounding, TaxRounding)
        rounding = _document.enum_value("Return.rounding", self.rounding, Rounding)
        if not isinstance(self.receipted, bool):
            raise InvariantError.got("Return.receipted", self.receipted, "must be a bool")
        if not isinstance(self.notes, str):
            raise InvariantError.got("Return.notes", self.notes, "must be a string")
        lines = _validate.tuple_of("Return.lines", self.lines, ReturnLine)
        if not lines:
            raise InvariantError.got("Return.lines", len(lines), "must hold at least one line")
        _document.unique_line_numbers("Return.lines", [line.line_no for line in lines])
        self._check_references(lines)
        subtotal = Money.zero(self.currency)
        for index, line in enumerate(lines):
            _document.same_currency(
                f"Return.lines[{index}].unit_price", line.unit_price, self.currency
            )
            subtotal = subtotal + line.net
        tax_lines = compute_tax_lines(
            [(line.tax_class, line.net) for line in lines],
            currency=self.currency,
            rule=rule,
            rounding=rounding,
            field="Return.lines",
        )
        tax_total = _document.tax_total(tax_lines, self.currency)
        total = subtotal + tax_total
        set_(self, "tenders", _document.tenders("Return", self.tenders, total))
        set_(self, "lines", lines)
        set_(self, "tax_rounding", rule)
        set_(self, "rounding", rounding)
        set_(self, "subtotal", subtotal)
        set_(self, "tax_lines", tax_lines)
        set_(self, "tax_total", tax_total)
        set_(self, "total", total)

    def _check_references(self, lines: tuple[ReturnLine, ...]) -> None:
        first = lines[0].original_txn_id
        for index, line in enumerate(lines):
            where = f"Return.lines[{index}].original_txn_id"
            if not self.receipted:
                if line.original_txn_id is not None:
                    raise InvariantError.got(
                        where,
                        line.original_txn_id,
                        "must be None on an unreceipted return",
                        "set receipted=True to return against a receipt",
                    )
            elif line.original_txn_id is None:
                raise InvariantError.got(
                    where,
                    None,
                    "must name the original sale on a receipted return",
                    "set receipted=False for a return without a receipt",
                )
            elif line.original_txn_id != first:
                raise InvariantError.got(
                    where, line.original_txn_id, f"must be the receipt {first!r} of line 0"
                )
            elif line.original_txn_id == self.txn_id:
                raise InvariantError.got(where, line.original_txn_id, "must differ from txn_id")

    @property
    def original_txn_id(self) -> str | None:
        """The receipt the return was made against, or None when unreceipted."""
        return self.lines[0].original_txn_id
