"""The sale: totals computed at construction, tenders covering the total exactly."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import (
    CardBrand,
    CardTender,
    CashTender,
    CurrencyMismatchError,
    Discount,
    InvariantError,
    Money,
    Rounding,
    Sale,
    SaleLine,
    Sku,
    TaxClass,
    TaxRounding,
)
from tests.domain.strategies import sales

STANDARD = TaxClass("standard", Decimal("0.0825"))
FOOD = TaxClass("food", Decimal("0.02"))
LineFactory = Callable[..., SaleLine]
SaleFactory = Callable[..., Sale]


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_totals(line: LineFactory, sale: SaleFactory) -> None:
    receipt = sale(
        [
            line(1, "2", "4.99", discounts=(Discount("promo", usd("1.00")),)),
            line(2, "1", "3.50", tax_class=FOOD),
            line(3, "1", "100.00", voided=True),
        ]
    )
    assert receipt.subtotal == usd("12.48")
    assert [(t.tax_class, t.taxable, t.tax) for t in receipt.tax_lines] == [
        ("food", usd("3.50"), usd("0.07")),
        ("standard", usd("8.98"), usd("0.74")),
    ]
    assert receipt.tax_total == usd("0.81")
    assert receipt.total == usd("13.29")
    assert [item.line_no for item in receipt.active_lines] == [1, 2]


def test_lines_and_tenders_become_tuples(line: LineFactory, sale: SaleFactory) -> None:
    receipt = sale([line(1, "1", "1.00")])
    assert isinstance(receipt.lines, tuple)
    assert isinstance(receipt.tenders, tuple)
    assert hash(receipt) == hash(dataclasses.replace(receipt))


def test_string_rules_are_accepted(line: LineFactory, sale: SaleFactory) -> None:
    receipt = sale([line(1, "1", "1.00")], tax_rounding="per_line", rounding="half_even")
    assert receipt.tax_rounding is TaxRounding.PER_LINE
    assert receipt.rounding is Rounding.HALF_EVEN


def test_tenders_must_cover_the_total(line: LineFactory, sale: SaleFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        sale([line(1, "1", "11.40")], tenders=[CashTender.exact(usd("12.00"))])
    assert str(caught.value) == "Sale.tenders: tenders 12.00 USD do not cover total 12.34 USD"
    assert caught.value.field == "Sale.tenders"
    assert caught.value.value == usd("12.00")


def test_tenders_may_not_exceed_the_total(line: LineFactory, sale: SaleFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        sale([line(1, "1", "11.40")], tenders=[CardTender(usd("12.35"), CardBrand.VISA, "4242")])
    assert str(caught.value) == (
        "Sale.tenders: tenders 12.35 USD exceed total 12.34 USD; record overpaid cash as change"
    )


def test_cash_change_is_on_the_cash_tender(line: LineFactory, sale: SaleFactory) -> None:
    receipt = sale(
        [line(1, "1", "11.40")],
        tenders=[
            CardTender(usd("10.00"), CardBrand.VISA, "4242"),
            CashTender(usd("2.34"), usd("5.00"), usd("2.66")),
        ],
    )
    assert receipt.total == usd("12.34")


def test_one_currency_per_document(line: LineFactory, sale: SaleFactory) -> None:
    euro_line = SaleLine(2, Sku("E"), None, Decimal(1), Money.of("1", "EUR"), (), STANDARD)
    with pytest.raises(CurrencyMismatchError) as caught:
        sale([line(1, "1", "1.00"), euro_line], tenders=[])
    assert str(caught.value) == (
        "Sale.lines[1].unit_price: must be in the document currency USD, got 1.00 EUR"
    )
    with pytest.raises(CurrencyMismatchError) as caught:
        sale([line(1, "1", "1.00")], tenders=[CashTender.exact(Money.of("1.08", "EUR"))])
    assert str(caught.value) == (
        "Sale.tenders[0].amount: must be in the document currency USD, got 1.08 EUR"
    )


def test_line_numbers_are_unique(line: LineFactory, sale: SaleFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        sale([line(1), line(1)], tenders=[])
    assert str(caught.value) == "Sale.lines[1].line_no: must be unique within the document, got 1"


def test_a_sale_needs_a_line_that_counts(line: LineFactory, sale: SaleFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        sale([line(1, voided=True)], tenders=[])
    assert str(caught.value) == (
        "Sale.lines: must hold at least one line that is not voided, got 1; "
        "record an abandoned sale as a Cancel"
    )


def test_tax_class_conflict_names_the_document_line(line: LineFactory, sale: SaleFactory) -> None:
    other = TaxClass("standard", Decimal("0.07"))
    with pytest.raises(InvariantError) as caught:
        sale([line(1, voided=True), line(2), line(3, tax_class=other)], tenders=[])
    assert caught.value.field == "Sale.lines[2].tax_class"


def test_completion_not_before_start(line: LineFactory, sale: SaleFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        sale([line(1)], completed_at=datetime(2026, 11, 27, 9, 59))
    assert str(caught.value) == (
        "Sale.completed_at: must not be before Sale.started_at 2026-11-27T10:00:00, "
        "got 2026-11-27T09:59:00"
    )
    with pytest.raises(InvariantError, match=r"must be timezone-aware exactly when"):
        sale([line(1)], completed_at=datetime(2026, 11, 27, 11, tzinfo=UTC))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"txn_id": ""}, "Sale.txn_id: must be 1–64 characters without surrounding whitespace, "
         "got ''"),
        ({"currency": "XXX"}, "Sale.currency: must be a known ISO 4217 code such as USD, EUR, GBP "
         "or JPY, got 'XXX'; see domain.CURRENCIES for the full list"),
        ({"tax_rounding": "per_basket"}, "Sale.tax_rounding: must be one of ['per_document', "
         "'per_line'], got 'per_basket'"),
        ({"business_day": datetime(2026, 11, 27)}, "Sale.business_day: must be a datetime.date, "
         "got 2026-11-27T00:00:00"),
    ],
)  # fmt: skip
def test_header_checks(
    line: LineFactory, sale: SaleFactory, options: dict[str, object], message: str
) -> None:
    with pytest.raises(InvariantError) as caught:
        sale([line(1)], tenders=[], **options)
    assert str(caught.value) == message


@given(sales())
def test_random_sales_satisfy_their_invariants(receipt: Sale) -> None:
    active = [item for item in receipt.lines if not item.voided]
    assert receipt.subtotal == sum((item.net for item in active), Money.zero(receipt.currency))
    assert receipt.tax_total == sum(
        (t.tax for t in receipt.tax_lines), Money.zero(receipt.currency)
    )
    assert receipt.total == receipt.subtotal + receipt.tax_total
    assert sum((t.amount for t in receipt.tenders), Money.zero(receipt.currency)) == receipt.total
    for item in receipt.lines:
        assert item.quantity > 0
        assert item.net == (item.unit_price * item.quantity).quantize(Rounding.HALF_UP) - sum(
            (d.amount for d in item.discounts), Money.zero(receipt.currency)
        )
    for tax_line in receipt.tax_lines:
        nets = [i.net for i in active if i.tax_class.name == tax_line.tax_class]
        assert tax_line.taxable == sum(nets, Money.zero(receipt.currency))
        if receipt.tax_rounding is TaxRounding.PER_DOCUMENT:
            assert tax_line.tax == (tax_line.taxable * tax_line.rate).quantize(receipt.rounding)
        else:
            assert tax_line.tax == sum(
                ((n * tax_line.rate).quantize(receipt.rounding) for n in nets),
                Money.zero(receipt.currency),
            )


@given(sales(), st.integers(1, 10_000))
def test_a_tampered_tender_sum_is_rejected(receipt: Sale, units: int) -> None:
    extra = Money.from_minor(units, receipt.currency)
    tampered = [*receipt.tenders, CashTender.exact(extra)]
    with pytest.raises(InvariantError) as caught:
        dataclasses.replace(receipt, tenders=tampered)
    assert str(caught.value) == (
        f"Sale.tenders: tenders {receipt.total + extra} exceed total {receipt.total}; "
        "record overpaid cash as change"
    )


@given(sales(), st.integers(1, 10_000))
def test_a_tampered_total_is_rejected(receipt: Sale, units: int) -> None:
    price = Money.from_minor(units, receipt.currency)
    extra_line = SaleLine(
        max(item.line_no for item in receipt.lines) + 1,
        Sku("EXTRA"),
        None,
        Decimal(1),
        price,
        (),
        receipt.lines[0].tax_class,
    )
    with pytest.raises(InvariantError) as caught:
        dataclasses.replace(receipt, lines=[*receipt.lines, extra_line])
    assert caught.value.field == "Sale.tenders"
    assert str(caught.value).startswith(
        f"Sale.tenders: tenders {receipt.total} do not cover total "
    )


@given(sales(max_lines=3))
def test_sales_pickle_for_process_pools(receipt: Sale) -> None:
    copy = pickle.loads(pickle.dumps(receipt))
    assert copy == receipt
    assert (copy.total, copy.tax_lines) == (receipt.total, receipt.tax_lines)


def test_lines_and_tenders_must_be_sequences(line: LineFactory, sale: SaleFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        sale(None, tenders=[])
    assert str(caught.value) == "Sale.lines: must be a sequence of SaleLine, got None"
    with pytest.raises(InvariantError) as caught:
        sale([line(1)], tenders=None)
    assert str(caught.value) == "Sale.tenders: must be a sequence of tenders, got None"
    with pytest.raises(InvariantError) as caught:
        sale([line(1)], tenders=["cash"])
    assert str(caught.value) == (
        "Sale.tenders[0]: must be a CardTender, CashTender, MobileTender or OtherTender, got 'cash'"
    )
