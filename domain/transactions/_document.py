"""Checks and arithmetic shared by the sale and return documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TypeVar

from domain import _validate
from domain.errors import CurrencyMismatchError, InvariantError
from domain.money import Currency, Money, Rounding
from domain.transactions.tax import TaxLine, TaxRounding
from domain.transactions.tenders import TENDER_TYPES, Tender

E = TypeVar("E", bound=Rounding | TaxRounding)


def header(
    kind: str,
    *,
    txn_id: object,
    store_id: object,
    register_id: object,
    cashier_id: object,
    customer_id: object,
    business_day: object,
    started_at: datetime,
    completed_at: datetime,
    currency: object,
) -> None:
    """Validate the ARTS header fields of a sale or return."""
    _validate.identifier(f"{kind}.txn_id", txn_id)
    _validate.identifier(f"{kind}.store_id", store_id)
    _validate.identifier(f"{kind}.register_id", register_id)
    _validate.identifier(f"{kind}.cashier_id", cashier_id)
    _validate.optional_identifier(f"{kind}.customer_id", customer_id)
    _validate.day(f"{kind}.business_day", business_day)
    _validate.moment(f"{kind}.started_at", started_at)
    _validate.moment(f"{kind}.completed_at", completed_at)
    _validate.ordered(f"{kind}.started_at", started_at, f"{kind}.completed_at", completed_at)
    if not isinstance(currency, str):
        raise InvariantError.got(f"{kind}.currency", currency, "must be an ISO 4217 code")
    try:
        Currency.of(currency)
    except InvariantError as error:
        raise InvariantError(f"{kind}.currency", currency, error.reason) from None


def enum_value(field: str, value: object, kind: type[E]) -> E:
    """Coerce ``value`` (a member or its string value) to the enum ``kind``."""
    if type(value) is kind:
        return value
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return kind(value)
    except ValueError:
        raise InvariantError.got(
            field, value, f"must be one of {[m.value for m in kind]}"
        ) from None


def unique_line_numbers(field: str, line_numbers: Sequence[int]) -> None:
    """Line numbers are the ARTS sequence numbers: unique within a document."""
    seen: set[int] = set()
    for index, line_no in enumerate(line_numbers):
        if line_no in seen:
            raise InvariantError.got(
                f"{field}[{index}].line_no", line_no, "must be unique within the document"
            )
        seen.add(line_no)


def same_currency(field: str, money: Money, currency: str) -> None:
    """One currency per document."""
    if money.currency != currency:
        raise CurrencyMismatchError.got(
            field, money, f"must be in the document currency {currency}"
        )


def tenders(kind: str, values: Sequence[Tender], total: Money) -> tuple[Tender, ...]:
    """Tenders in the document currency whose amounts add up exactly to ``total``."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvariantError.got(f"{kind}.tenders", values, "must be a sequence of tenders")
    items = tuple(values)
    paid = Money.zero(total.currency)
    for index, tender in enumerate(items):
        if not isinstance(tender, TENDER_TYPES):
            raise InvariantError.got(
                f"{kind}.tenders[{index}]",
                tender,
                "must be a CardTender, CashTender, MobileTender or OtherTender",
            )
        same_currency(f"{kind}.tenders[{index}].amount", tender.amount, total.currency)
        paid = paid + tender.amount
    if paid != total:
        raise InvariantError(
            f"{kind}.tenders",
            paid,
            f"tenders {paid} do not cover total {total}"
            if paid < total
            else f"tenders {paid} exceed total {total}; record overpaid cash as change",
        )
    return items


def tax_total(tax_lines: Sequence[TaxLine], currency: str) -> Money:
    """Sum of the tax lines' tax."""
    total = Money.zero(currency)
    for line in tax_lines:
        total = total + line.tax
    return total
