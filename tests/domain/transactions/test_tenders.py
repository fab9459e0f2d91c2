"""Tenders: card (brand and last four only), cash with change, mobile, other."""

from __future__ import annotations

import dataclasses

import pytest

from domain import (
    CardBrand,
    CardFunding,
    CardTender,
    CashTender,
    CurrencyMismatchError,
    InvariantError,
    MobileTender,
    Money,
    OtherTender,
)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_card_tender_holds_no_card_number() -> None:
    card = CardTender(usd("12.34"), CardBrand.VISA, "4242", CardFunding.DEBIT)
    names = {f.name for f in dataclasses.fields(card)}
    assert names == {"amount", "brand", "last4", "funding"}
    assert CardTender(usd("1"), "MASTERCARD", "0001").brand is CardBrand.MASTERCARD  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["424", "42424", "42a2", ""])
def test_last4_must_be_four_digits(bad: str) -> None:
    with pytest.raises(InvariantError) as caught:
        CardTender(usd("1"), CardBrand.VISA, bad)
    assert caught.value.field == "CardTender.last4"


def test_a_full_card_number_never_reaches_the_message() -> None:
    pan = "4111111111111111"
    with pytest.raises(InvariantError) as caught:
        CardTender(usd("1"), CardBrand.VISA, pan)
    assert pan not in str(caught.value)
    assert caught.value.value == "<redacted>"
    assert str(caught.value) == (
        "CardTender.last4: must be exactly 4 digits, got '<redacted>'; "
        "store the last four digits only, never the card number"
    )


def test_unknown_card_brand() -> None:
    with pytest.raises(InvariantError, match=r"^CardTender\.brand: must be one of \["):
        CardTender(usd("1"), "DINERS_CLUB", "1234")  # type: ignore[arg-type]


def test_cash_change() -> None:
    cash = CashTender(usd("12.34"), usd("20.00"), usd("7.66"))
    assert cash.tendered - cash.change == cash.amount
    assert CashTender.exact(usd("5")).change == usd("0")


def test_cash_tendered_minus_change_must_equal_amount() -> None:
    with pytest.raises(InvariantError) as caught:
        CashTender(usd("12.34"), usd("20.00"), usd("7.00"))
    assert str(caught.value) == (
        "CashTender.change: tendered 20.00 USD − change 7.00 USD must equal amount 12.34 USD"
    )
    assert caught.value.value == usd("7.00")


def test_cash_change_cannot_be_negative() -> None:
    with pytest.raises(InvariantError) as caught:
        CashTender(usd("12.34"), usd("10.00"), usd("-2.34"))
    assert str(caught.value) == (
        "CashTender.change: must be >= 0 and in whole minor units of USD, got -2.34 USD"
    )


def test_cash_currency_must_match() -> None:
    with pytest.raises(CurrencyMismatchError) as caught:
        CashTender(usd("1"), Money.of("1", "EUR"), usd("0"))
    assert str(caught.value) == "CashTender.tendered: must be in USD like amount, got 1.00 EUR"


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: MobileTender(usd("0"), "apple_pay"),
         "MobileTender.amount: must be > 0, got 0.00 USD"),
        (lambda: OtherTender(usd("1.001"), "gift_card"),
         "OtherTender.amount: must be whole minor units of USD, got 1.001 USD"),
        (lambda: MobileTender(usd("1"), ""),
         "MobileTender.wallet: must be 1–64 characters without surrounding whitespace, got ''"),
        (lambda: CardTender(usd("-1"), CardBrand.VISA, "1234"),
         "CardTender.amount: must be > 0, got -1.00 USD"),
    ],
)  # fmt: skip
def test_tender_amounts(build: object, message: str) -> None:
    with pytest.raises(InvariantError) as caught:
        build()  # type: ignore[operator]
    assert str(caught.value) == message
