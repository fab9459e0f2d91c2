"""Sale lines, return lines and discounts: net = round(quantity × price) − discounts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from domain import (
    CurrencyMismatchError,
    Discount,
    Gtin,
    InvariantError,
    Money,
    ReturnLine,
    SaleLine,
    Sku,
    TaxClass,
)

STANDARD = TaxClass("standard", Decimal("0.0825"))
LineFactory = Callable[..., SaleLine]


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_net_is_quantity_times_price_minus_discounts(line: LineFactory) -> None:
    item = line(1, "3", "1.99", discounts=(Discount("promo", usd("0.50")),))
    assert item.gross == usd("5.97")
    assert item.discount_total == usd("0.50")
    assert item.net == usd("5.47")
    assert item.net == item.gross - item.discount_total


def test_weighed_item_rounds_half_up(line: LineFactory) -> None:
    # 0.125 kg × 1.00 = 0.125 → 0.13 (half-up), not 0.12 (half-even)
    assert line(1, "0.125", "1.00").gross == usd("0.13")
    assert line(1, "0.453", "3.99").net == usd("1.81")


def test_sub_cent_unit_price(line: LineFactory) -> None:
    assert line(1, "10", "3.999").gross == usd("39.99")


def test_line_void_keeps_the_line(line: LineFactory) -> None:
    item = line(1, "2", "1.00")
    voided = item.void()
    assert voided.voided
    assert not item.voided
    assert voided.net == item.net


def test_plain_strings_are_validated_into_ids() -> None:
    sku: Any = "APL-1"
    gtin: Any = "4006381333931"
    item = SaleLine(1, sku, gtin, Decimal(1), usd("1.00"), [], STANDARD)
    assert type(item.sku) is Sku
    assert type(item.gtin) is Gtin
    assert item.discounts == ()


def test_int_quantity_becomes_decimal(line: LineFactory) -> None:
    item = SaleLine(1, Sku("A"), None, 2, usd("1.00"), (), STANDARD)  # type: ignore[arg-type]
    assert type(item.quantity) is Decimal


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("-2", "SaleLine.quantity: must be > 0, got -2"),
        ("0", "SaleLine.quantity: must be > 0, got 0"),
    ],
)
def test_no_negative_or_zero_quantities(line: LineFactory, quantity: str, message: str) -> None:
    with pytest.raises(InvariantError) as caught:
        line(1, quantity, "1.00")
    assert str(caught.value) == message
    assert caught.value.field == "SaleLine.quantity"
    assert caught.value.value == Decimal(quantity)


def test_float_quantity_is_refused() -> None:
    with pytest.raises(InvariantError) as caught:
        SaleLine(1, Sku("A"), None, 1.5, usd("1"), (), STANDARD)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "SaleLine.quantity: must be a Decimal, never a float, got 1.5; write Decimal('1.5')"
    )


def test_discounts_may_not_exceed_gross(line: LineFactory) -> None:
    with pytest.raises(InvariantError) as caught:
        line(1, "1", "3.99", discounts=(Discount("a", usd("3.00")), Discount("b", usd("1.00"))))
    assert str(caught.value) == (
        "SaleLine.discounts: discounts 4.00 USD exceed gross 3.99 USD (1 × 3.99 USD); "
        "cap the discount at the gross"
    )
    assert caught.value.value == usd("4.00")


def test_discount_equal_to_gross_gives_a_free_line(line: LineFactory) -> None:
    assert line(1, "1", "3.99", discounts=(Discount("free", usd("3.99")),)).net == usd("0")


def test_discount_currency_must_match(line: LineFactory) -> None:
    with pytest.raises(CurrencyMismatchError) as caught:
        line(1, "1", "3.99", discounts=(Discount("a", Money.of("1", "EUR")),))
    assert str(caught.value) == (
        "SaleLine.discounts[0].amount: must be in USD like unit_price, got 1.00 EUR"
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Discount.amount: must be > 0, got 0.00 USD"),
        ("-1", "Discount.amount: must be > 0, got -1.00 USD"),
        ("0.005", "Discount.amount: must be whole minor units of USD, got 0.005 USD"),
    ],
)
def test_discount_amount(amount: str, message: str) -> None:
    with pytest.raises(InvariantError) as caught:
        Discount("promo", usd(amount))
    assert str(caught.value) == message


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"line_no": 0}, "SaleLine.line_no: must be an int >= 1, got 0"),
        ({"price": "-1"}, "SaleLine.unit_price: must be >= 0, got -1.00 USD"),
        ({"gtin": "4006381333932"}, "SaleLine.gtin: has check digit 2 but its first 12 digits "
         "need 1, got '4006381333932'; re-read the barcode or build it with Gtin.from_body()"),
        ({"voided": "no"}, "SaleLine.voided: must be a bool, got 'no'"),
    ],
)  # fmt: skip
def test_sale_line_field_checks(
    line: LineFactory, options: dict[str, object], message: str
) -> None:
    with pytest.raises(InvariantError) as caught:
        line(**options)
    assert str(caught.value) == message


def test_bad_sku_names_the_line_field() -> None:
    with pytest.raises(InvariantError) as caught:
        SaleLine(1, "bad sku", None, Decimal(1), usd("1"), (), STANDARD)  # type: ignore[arg-type]
    assert str(caught.value) == (
        "SaleLine.sku: must be 1–40 characters of [A-Za-z0-9._-], got 'bad sku'"
    )


def test_return_line_net_and_reference() -> None:
    item = ReturnLine(1, Sku("A"), Decimal(2), usd("4.995"), STANDARD, "T-9", 3)
    assert item.net == usd("9.99")
    assert item.receipted
    assert not ReturnLine(1, Sku("A"), Decimal(1), usd("1"), STANDARD).receipted


def test_return_line_reference_needs_both_parts() -> None:
    with pytest.raises(InvariantError) as caught:
        ReturnLine(1, Sku("A"), Decimal(1), usd("1"), STANDARD, "T-9", None)
    assert str(caught.value) == (
        "ReturnLine.original_line_no: must be set exactly when original_txn_id is "
        "(it is 'T-9'), got None"
    )


def test_return_line_quantity_is_positive() -> None:
    with pytest.raises(InvariantError) as caught:
        ReturnLine(1, Sku("A"), Decimal(-1), usd("1"), STANDARD)
    assert str(caught.value) == "ReturnLine.quantity: must be > 0, got -1"
