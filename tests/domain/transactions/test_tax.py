"""Tax classes, the per-document and per-line rounding rules, and tax apportionment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import (
    InvariantError,
    Money,
    Rounding,
    TaxClass,
    TaxLine,
    TaxRounding,
    compute_tax_lines,
    line_taxes,
)
from tests.domain.strategies import currencies, money, tax_classes

STANDARD = TaxClass("standard", Decimal("0.0825"))
FOOD = TaxClass("food", Decimal("0.02"))


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def taxes(pairs: list[tuple[TaxClass, Money]], rule: TaxRounding) -> dict[str, Money]:
    lines = compute_tax_lines(pairs, currency="USD", rule=rule, rounding=Rounding.HALF_UP)
    return {line.tax_class: line.tax for line in lines}


def test_rate_is_a_fraction() -> None:
    with pytest.raises(InvariantError) as caught:
        TaxClass("standard", Decimal("8.25"))
    assert str(caught.value) == (
        "TaxClass.rate: must be a fraction in [0, 1], got 8.25; write 8.25 % as 0.0825"
    )


def test_per_document_rounds_once_per_class() -> None:
    # three lines of 0.10 at 8.25 %: exact tax 0.00825 each, 0.02475 in all
    pairs = [(STANDARD, usd("0.10"))] * 3
    assert taxes(pairs, TaxRounding.PER_DOCUMENT) == {"standard": usd("0.02")}
    assert taxes(pairs, TaxRounding.PER_LINE) == {"standard": usd("0.03")}


def test_tax_lines_are_per_class_and_sorted() -> None:
    lines = compute_tax_lines(
        [(STANDARD, usd("10.00")), (FOOD, usd("5.00")), (STANDARD, usd("2.00"))],
        currency="USD",
        rule=TaxRounding.PER_DOCUMENT,
        rounding=Rounding.HALF_UP,
    )
    assert lines == (
        TaxLine("food", Decimal("0.02"), usd("5.00"), usd("0.10")),
        TaxLine("standard", Decimal("0.0825"), usd("12.00"), usd("0.99")),
    )


def test_rounding_mode_applies_to_tax() -> None:
    half = TaxClass("half", Decimal("0.5"))
    pairs = [(half, usd("0.05"))]  # exact tax 0.025
    up = compute_tax_lines(
        pairs, currency="USD", rule=TaxRounding.PER_LINE, rounding=Rounding.HALF_UP
    )
    even = compute_tax_lines(
        pairs, currency="USD", rule=TaxRounding.PER_LINE, rounding=Rounding.HALF_EVEN
    )
    assert (up[0].tax, even[0].tax) == (usd("0.03"), usd("0.02"))


def test_one_class_name_one_rate() -> None:
    other = TaxClass("standard", Decimal("0.07"))
    with pytest.raises(InvariantError) as caught:
        compute_tax_lines(
            [(STANDARD, usd("1")), (other, usd("1"))],
            currency="USD",
            rule=TaxRounding.PER_DOCUMENT,
            rounding=Rounding.HALF_UP,
            field="Sale.lines",
        )
    assert str(caught.value) == (
        "Sale.lines[1].tax_class: must have the rate 0.0825 that tax class 'standard' has "
        "elsewhere on this document, got TaxClass(name='standard', rate=Decimal('0.07'))"
    )


def test_tax_line_needs_whole_minor_units() -> None:
    with pytest.raises(InvariantError) as caught:
        TaxLine("standard", Decimal("0.0825"), usd("1"), usd("0.0825"))
    assert str(caught.value) == "TaxLine.tax: must be whole minor units of USD, got 0.0825 USD"


@st.composite
def taxed_lines(draw: st.DrawFn) -> tuple[str, list[tuple[TaxClass, Money]]]:
    code = draw(currencies())
    classes = draw(tax_classes())
    count = draw(st.integers(1, 12))
    return code, [
        (draw(st.sampled_from(classes)), draw(money(code, max_units=100_000))) for _ in range(count)
    ]


@given(taxed_lines(), st.sampled_from(Rounding))
def test_rules_differ_by_at_most_lines_minus_one_minor_units_per_class(
    case: tuple[str, list[tuple[TaxClass, Money]]], rounding: Rounding
) -> None:
    code, pairs = case
    by_rule = {
        rule: {
            line.tax_class: line.tax
            for line in compute_tax_lines(pairs, currency=code, rule=rule, rounding=rounding)
        }
        for rule in TaxRounding
    }
    for name, tax in by_rule[TaxRounding.PER_DOCUMENT].items():
        count = sum(1 for tc, _ in pairs if tc.name == name)
        difference = abs(tax - by_rule[TaxRounding.PER_LINE][name]).minor_units()
        assert difference <= count - 1


@given(taxed_lines(), st.sampled_from(Rounding), st.sampled_from(TaxRounding))
def test_line_taxes_add_up_to_the_tax_lines(
    case: tuple[str, list[tuple[TaxClass, Money]]], rounding: Rounding, rule: TaxRounding
) -> None:
    code, pairs = case
    lines = compute_tax_lines(pairs, currency=code, rule=rule, rounding=rounding)
    shares = line_taxes(pairs, lines, rule=rule, rounding=rounding)
    for tax_line in lines:
        in_class = [
            s for s, (tc, _) in zip(shares, pairs, strict=True) if tc.name == tax_line.tax_class
        ]
        assert sum(in_class, Money.zero(code)) == tax_line.tax
    for share, (tax_class, net) in zip(shares, pairs, strict=True):
        assert abs(share - net * tax_class.rate).amount < Money.from_minor(1, code).amount
