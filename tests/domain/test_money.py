"""Money: exact Decimal arithmetic, explicit rounding, one currency at a time."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain import (
    CURRENCIES,
    Currency,
    CurrencyMismatchError,
    InvariantError,
    Money,
    Rounding,
    round_money,
    sum_money,
)
from tests.domain.strategies import currencies

amounts = st.decimals(
    min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=4, allow_nan=False
)


def test_currency_minor_units_follow_iso_4217() -> None:
    assert {code: CURRENCIES[code].exponent for code in ("USD", "EUR", "GBP", "JPY", "KWD")} == {
        "USD": 2,
        "EUR": 2,
        "GBP": 2,
        "JPY": 0,
        "KWD": 3,
    }
    assert Currency.of("JPY").quantum == Decimal("1")
    assert Currency.of("KWD").quantum == Decimal("0.001")


def test_unknown_currency_is_refused() -> None:
    with pytest.raises(InvariantError) as caught:
        Money.of("1", "XXX")
    assert str(caught.value) == (
        "Currency.code: must be a known ISO 4217 code such as USD, EUR, GBP or JPY, got 'XXX'; "
        "see domain.CURRENCIES for the full list"
    )
    assert (caught.value.field, caught.value.value) == ("Currency.code", "XXX")


def test_float_is_refused_with_a_fix() -> None:
    with pytest.raises(InvariantError) as caught:
        Money(1.1, "USD")  # type: ignore[arg-type]
    assert str(caught.value) == (
        "Money.amount: must be a Decimal, never a float, got 1.1; write Decimal('1.1')"
    )
    with pytest.raises(InvariantError, match="never a float"):
        Money.of(1.1, "USD")  # type: ignore[arg-type]
    with pytest.raises(InvariantError, match="never a float"):
        Money.of("1", "USD") * 1.5  # type: ignore[operator]


def test_non_finite_and_malformed_amounts_are_refused() -> None:
    with pytest.raises(InvariantError) as caught:
        Money(Decimal("NaN"), "USD")
    assert str(caught.value) == "Money.amount: must be a finite number, got NaN"
    with pytest.raises(InvariantError) as caught:
        Money.of("12,34", "USD")
    assert str(caught.value) == "Money.amount: must be a decimal number like '12.34', got '12,34'"


def test_constructors() -> None:
    assert Money.of("12.34", "USD") == Money(Decimal("12.34"), "USD")
    assert Money.of(12, "USD").amount == Decimal(12)
    assert Money(5, "USD").amount == Decimal(5)  # type: ignore[arg-type]
    assert Money.zero("USD").amount.as_tuple().exponent == -2
    assert Money.zero("JPY") == Money.of("0", "JPY")
    assert Money.from_minor(1234, "USD") == Money.of("12.34", "USD")
    assert Money.from_minor(-5, "KWD") == Money.of("-0.005", "KWD")
    assert Money.from_minor(1234, "JPY") == Money.of("1234", "JPY")


def test_str_shows_the_minor_unit() -> None:
    assert str(Money.of("12", "USD")) == "12.00 USD"
    assert str(Money.of("12.345", "USD")) == "12.345 USD"
    assert str(Money.of("500", "JPY")) == "500 JPY"


def test_equality_is_numeric_and_per_currency() -> None:
    assert Money.of("12.3", "USD") == Money.of("12.30", "USD")
    assert hash(Money.of("12.3", "USD")) == hash(Money.of("12.30", "USD"))
    assert Money.of("1", "USD") != Money.of("1", "EUR")


def test_mixing_currencies_raises() -> None:
    usd, eur = Money.of("1.00", "USD"), Money.of("1.00", "EUR")
    with pytest.raises(CurrencyMismatchError) as caught:
        usd + eur
    assert str(caught.value) == (
        "Money.currency: cannot add 1.00 USD and 1.00 EUR; convert to one currency first"
    )
    with pytest.raises(CurrencyMismatchError, match="cannot subtract"):
        usd - eur
    with pytest.raises(CurrencyMismatchError, match="cannot compare"):
        _ = usd < eur


def test_arithmetic() -> None:
    a, b = Money.of("10.25", "USD"), Money.of("0.75", "USD")
    assert a + b == Money.of("11", "USD")
    assert a - b == Money.of("9.5", "USD")
    assert -a == Money.of("-10.25", "USD")
    assert abs(-a) == a
    assert a * 3 == 3 * a == Money.of("30.75", "USD")
    assert a * Decimal("0.5") == Money.of("5.125", "USD")
    assert b < a <= a
    assert a > b >= b


def test_money_times_money_is_not_defined() -> None:
    with pytest.raises(TypeError):
        Money.of("1", "USD") * Money.of("1", "USD")  # type: ignore[operator]


def test_arithmetic_never_rounds_silently() -> None:
    huge = Money.of("9" * 30, "USD")
    with pytest.raises(InvariantError, match="does not fit in 34 significant digits"):
        huge * Decimal("1.00001")


@pytest.mark.parametrize(
    ("amount", "rounding", "expected"),
    [
        ("0.125", Rounding.HALF_UP, "0.13"),
        ("0.125", Rounding.HALF_EVEN, "0.12"),
        ("0.135", Rounding.HALF_EVEN, "0.14"),
        ("-0.125", Rounding.HALF_UP, "-0.13"),
        ("0.124", Rounding.HALF_UP, "0.12"),
    ],
)
def test_quantize_rounds_explicitly(amount: str, rounding: Rounding, expected: str) -> None:
    assert Money.of(amount, "USD").quantize(rounding) == Money.of(expected, "USD")
    assert round_money(Decimal(amount), "USD", rounding) == Money.of(expected, "USD")


def test_quantize_to_zero_and_three_digit_currencies() -> None:
    assert Money.of("2.5", "JPY").quantize(Rounding.HALF_EVEN) == Money.of("2", "JPY")
    assert Money.of("2.5", "JPY").quantize(Rounding.HALF_UP) == Money.of("3", "JPY")
    assert Money.of("1.0005", "KWD").quantize(Rounding.HALF_UP) == Money.of("1.001", "KWD")


def test_minor_units_requires_a_quantized_amount() -> None:
    assert Money.of("12.34", "USD").minor_units() == 1234
    assert Money.of("12.3", "USD").minor_units() == 1230
    with pytest.raises(InvariantError) as caught:
        Money.of("12.345", "USD").minor_units()
    assert str(caught.value) == (
        "Money.amount: must be whole minor units of USD, got 12.345 USD; "
        "call .quantize(rounding) first"
    )


def test_allocate_known_split() -> None:
    parts = Money.of("10.00", "USD").allocate([1, 1, 1])
    assert parts == [Money.of(v, "USD") for v in ("3.34", "3.33", "3.33")]
    assert Money.of("-0.05", "USD").allocate([1, 1]) == [
        Money.of("-0.03", "USD"),
        Money.of("-0.02", "USD"),
    ]
    assert Money.of("1.00", "USD").allocate([Decimal("0.7"), Decimal("0.3")]) == [
        Money.of("0.70", "USD"),
        Money.of("0.30", "USD"),
    ]


@pytest.mark.parametrize(
    ("ratios", "message"),
    [
        ([], "Money.allocate.ratios: must not be empty, got []"),
        ([1, -1], "Money.allocate.ratios[1]: must be >= 0, got -1"),
        ([0, 0], "Money.allocate.ratios: must have a positive sum, got [0, 0]"),
    ],
)
def test_allocate_refuses_bad_ratios(ratios: list[int], message: str) -> None:
    with pytest.raises(InvariantError) as caught:
        Money.of("1.00", "USD").allocate(ratios)
    assert str(caught.value) == message


def test_sum_money() -> None:
    assert sum_money([], "EUR") == Money.zero("EUR")
    assert sum_money([Money.of("1.10", "EUR"), Money.of("2.20", "EUR")], "EUR") == Money.of(
        "3.30", "EUR"
    )
    with pytest.raises(CurrencyMismatchError):
        sum_money([Money.of("1", "USD")], "EUR")


def test_money_pickles() -> None:
    money = Money.of("12.34", "USD")
    assert pickle.loads(pickle.dumps(money)) == money


@given(amounts, amounts, amounts, currencies())
def test_addition_is_associative_and_commutative(
    a: Decimal, b: Decimal, c: Decimal, code: str
) -> None:
    x, y, z = Money(a, code), Money(b, code), Money(c, code)
    assert (x + y) + z == x + (y + z)
    assert x + y == y + x
    assert x + Money.zero(code) == x
    assert x - x == Money.zero(code)


@given(amounts, currencies(), st.sampled_from(Rounding))
def test_quantize_is_idempotent(a: Decimal, code: str, rounding: Rounding) -> None:
    once = Money(a, code).quantize(rounding)
    assert once.quantize(rounding) == once
    assert once.is_quantized()
    assert abs(once - Money(a, code)).amount <= Currency.of(code).quantum / 2


@given(st.integers(-(10**12), 10**12), currencies())
def test_minor_units_round_trip(units: int, code: str) -> None:
    assert Money.from_minor(units, code).minor_units() == units


@given(
    st.integers(-(10**9), 10**9),
    currencies(),
    st.lists(st.integers(0, 1000), min_size=1, max_size=12).filter(lambda r: sum(r) > 0),
)
def test_allocate_sums_back_exactly(units: int, code: str, ratios: list[int]) -> None:
    money = Money.from_minor(units, code)
    parts = money.allocate(ratios)
    assert len(parts) == len(ratios)
    assert sum_money(parts, code) == money
    for part, ratio in zip(parts, ratios, strict=True):
        exact = Decimal(units) * ratio / sum(ratios)
        assert abs(Decimal(part.minor_units()) - exact) < 1
        if ratio == 0:
            assert part.amount == 0
