"""POS order → Tryton POS sale payload: Tryton's own arithmetic (unit gross price × quantity,
rounded half even per line) gives back the POS total to the cent, and the payments pay it."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.core.documents import ErpDocument
from connectors.core.errors import MappingError
from connectors.core.seams import Seams
from connectors.erp.tryton.mapping import PRICE_DIGITS, REFUND_TENDER, unit_price
from tests.connectors.erp import support
from tests.connectors.planted.support import TaxPerLine

CENT = Decimal("0.01")
CARD = "4111 1111 1111 1111"


def map_tryton_order(
    order: dict[str, Any], skus: dict[str, str], seams: Seams | None = None
) -> ErpDocument | None:
    return support.map_order(support.tryton(), order, skus, seams=seams)


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def tryton_total(payload: dict[str, Any]) -> Decimal:
    """What Tryton's ``sale.point.sale.total`` computes from the lines."""
    return sum(
        (
            (Decimal(line["quantity"]) * Decimal(line["unit_gross_price"])).quantize(
                CENT, ROUND_HALF_EVEN
            )
            for line in payload["lines"]
        ),
        start=Decimal(0),
    )


def line(sku: str, quantity: int, price: int, *, discount: int = 0, tax: int = 0) -> dict[str, Any]:
    return {
        "quantity": str(quantity),
        "catalog_object_id": f"VAR-{sku}",
        "base_price_money": money(price),
        "total_discount_money": money(discount),
        "total_tax_money": money(tax),
    }


def sale_order() -> dict[str, Any]:
    """Three units at 2.99 with 0.60 off and 0.62 tax, one at 9.49 with 0.78 tax; paid
    partly by card and partly in cash; a card number typed into the note."""
    items = [line("A", 3, 299, discount=60, tax=62), line("B", 1, 949, tax=78)]
    total = 3 * 299 - 60 + 62 + 949 + 78
    return {
        "id": "ORDER1",
        "reference_id": "S0001-R01-000001",
        "location_id": "S0001",
        "state": "COMPLETED",
        "closed_at": "2026-11-23T21:01:18Z",
        "line_items": items,
        "total_money": money(total),
        "note": f"card {CARD}",
        "tenders": [
            {"type": "CARD", "amount_money": money(1000)},
            {"type": "CASH", "amount_money": money(total - 1000 - 100)},
            {"type": "CASH", "amount_money": money(100)},
        ],
    }


def return_order() -> dict[str, Any]:
    return {
        "id": "ORDER2",
        "reference_id": "S0001-R01-000009",
        "location_id": "S0001",
        "state": "COMPLETED",
        "closed_at": "2026-11-24T12:00:00Z",
        "returns": [{"return_line_items": [line("X", 2, 150, discount=30, tax=5)]}],
        "return_amounts": {"total_money": money(2 * 150 - 30 + 5)},
        "total_money": money(0),
    }


SKUS = {"VAR-A": "SKU-A", "VAR-B": "SKU-B", "VAR-X": "SKU-X"}


def test_sale_becomes_a_pos_sale_whose_tryton_total_is_the_pos_total() -> None:
    order = sale_order()
    document = map_tryton_order(order, SKUS)
    assert document is not None
    payload = document.body
    assert (document.kind, document.ext_no, document.store_id) == (
        "invoice",
        "S0001-R01-000001",
        "S0001",
    )
    assert payload["reference"] == "S0001-R01-000001"
    assert payload["store_id"] == "S0001"
    assert payload["date"] == "2026-11-23"
    assert [(x["sku"], x["quantity"]) for x in payload["lines"]] == [("SKU-A", "3"), ("SKU-B", "1")]
    assert tryton_total(payload) == Decimal(order["total_money"]["amount"]).scaleb(-2)
    assert payload["payments"] == [["credit", "10.00"], ["cash", "9.26"]]
    assert sum(Decimal(a) for _, a in payload["payments"]) == tryton_total(payload)
    assert document.lines == (("SKU-A", Decimal(3)), ("SKU-B", Decimal(1)))


def test_tryton_line_tax_is_the_pos_line_tax() -> None:
    order = sale_order()
    document = map_tryton_order(order, SKUS)
    assert document is not None
    for pos_line, line in zip(order["line_items"], document.body["lines"], strict=True):
        quantity = Decimal(line["quantity"])
        gross = (quantity * Decimal(line["unit_gross_price"])).quantize(CENT, ROUND_HALF_EVEN)
        net = (quantity * Decimal(line["unit_list_price"])).quantize(CENT, ROUND_HALF_EVEN)
        assert gross - net == Decimal(pos_line["total_tax_money"]["amount"]).scaleb(-2)


def test_tax_per_line_bug_leaves_the_split_to_tryton() -> None:
    document = map_tryton_order(sale_order(), SKUS, TaxPerLine())
    assert document is not None
    assert all("unit_list_price" not in line for line in document.body["lines"])
    assert tryton_total(document.body) == Decimal("19.26")


def test_unit_gross_price_is_what_the_pos_charged_per_unit() -> None:
    document = map_tryton_order(sale_order(), SKUS)
    assert document is not None
    prices = [Decimal(x["unit_gross_price"]) for x in document.body["lines"]]
    assert prices == [Decimal("2.9967"), Decimal("10.27")]


def test_return_has_negative_quantities_and_one_refund_payment() -> None:
    document = map_tryton_order(return_order(), SKUS)
    assert document is not None
    payload = document.body
    assert document.kind == "credit_memo"
    assert [(x["sku"], x["quantity"]) for x in payload["lines"]] == [("SKU-X", "-2")]
    assert tryton_total(payload) == Decimal("-2.75")
    assert payload["payments"] == [[REFUND_TENDER, "-2.75"]]
    assert document.lines == (("SKU-X", Decimal(2)),)


def test_no_free_text_reaches_tryton() -> None:
    document = map_tryton_order(sale_order(), SKUS)
    assert document is not None
    text = json.dumps(document.body)
    assert "4111" not in text
    assert "card " not in text


def test_other_tenders_are_paid_as_other() -> None:
    order = sale_order()
    total = order["total_money"]["amount"]
    order["tenders"] = [{"type": "OTHER", "amount_money": money(total)}]
    document = map_tryton_order(order, SKUS)
    assert document is not None
    assert document.body["payments"] == [["other", f"{Decimal(total).scaleb(-2)}"]]


def test_tenders_that_do_not_pay_the_total_are_refused() -> None:
    order = sale_order()
    order["tenders"] = order["tenders"][:1]
    with pytest.raises(MappingError, match="tenders add up to 1000 but the POS total is 1926"):
        map_tryton_order(order, SKUS)


def test_lines_that_do_not_add_up_are_refused() -> None:
    order = sale_order()
    order["total_money"] = money(1)
    with pytest.raises(MappingError, match="lines add up to 1926 but the POS total is 1"):
        map_tryton_order(order, SKUS)


def test_orders_that_are_not_completed_are_not_posted() -> None:
    order = sale_order()
    order["state"] = "CANCELED"
    assert map_tryton_order(order, SKUS) is None


def test_unknown_catalogue_object_names_it() -> None:
    with pytest.raises(MappingError, match="no SKU for catalog_object_id 'VAR-A'"):
        map_tryton_order(sale_order(), {"VAR-B": "SKU-B"})


def test_missing_reference_is_refused() -> None:
    order = sale_order()
    order["reference_id"] = ""
    with pytest.raises(MappingError, match="reference_id is empty"):
        map_tryton_order(order, SKUS)


@given(
    total=st.integers(min_value=0, max_value=10**7),
    quantity=st.integers(min_value=1, max_value=100),
)
def test_some_price_gives_back_any_line_total_up_to_100_units(total: int, quantity: int) -> None:
    amount = Decimal(total).scaleb(-2)
    price = unit_price(amount, Decimal(quantity), CENT)
    assert price == price.quantize(Decimal(1).scaleb(-PRICE_DIGITS))
    assert (quantity * price).quantize(CENT, ROUND_HALF_EVEN) == amount
    assert (-quantity * price).quantize(CENT, ROUND_HALF_EVEN) == -amount
    assert abs(price - amount / quantity) < Decimal("0.01")


def test_a_line_total_no_price_can_give_names_the_fix() -> None:
    with pytest.raises(MappingError, match=r"gives 100000\.00 for quantity 149; raise Tryton's"):
        unit_price(Decimal("100000.00"), Decimal(149), CENT)
