"""POS order → Business Central document: the ERP's own arithmetic gives back the POS
amounts; card numbers leave the notes (unless the card-notes bug is planted)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connectors.core.cards import REPLACEMENT
from connectors.core.documents import ErpDocument
from connectors.core.errors import MappingError
from connectors.core.seams import Seams
from connectors.erp.bc.mapping import effective_percent
from tests.connectors.erp import support
from tests.connectors.planted.support import CardNotes, TaxPerLine

CARD = "4111 1111 1111 1111"


def erp_line_tax(line: dict[str, Any]) -> Decimal:
    """What Business Central (and mocks.erp) computes for a line."""
    cent = Decimal("0.01")
    gross = (
        Decimal(str(line["quantity"])) * Decimal(str(line["unitPrice"]))
        - Decimal(str(line["discountAmount"]))
    ).quantize(cent, ROUND_HALF_UP)
    return (gross * Decimal(str(line["taxPercent"])) / 100).quantize(cent, ROUND_HALF_UP)


def map_order(
    order: dict[str, Any], skus: dict[str, str], seams: Seams | None = None
) -> ErpDocument | None:
    return support.map_order(support.bc(), order, skus, seams=seams)


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def sale_order(*, note: str = "") -> dict[str, Any]:
    """Two lines whose per-document tax (8.25 % of 5.98 = 0.49) differs from per line."""
    lines = []
    for uid, tax in (("a", 25), ("b", 24)):
        lines.append(
            {
                "uid": uid,
                "name": f"Thing {uid}",
                "quantity": "1",
                "catalog_object_id": f"VAR-{uid}",
                "base_price_money": money(299),
                "total_discount_money": money(0),
                "total_tax_money": money(tax),
                "applied_taxes": [{"tax_uid": "std"}],
                "metadata": {"sku": f"SKU-{uid}"},
            }
        )
    return {
        "id": "ORDER1",
        "reference_id": "S0001-R01-000001",
        "location_id": "S0001",
        "state": "COMPLETED",
        "closed_at": "2026-11-23T11:01:18Z",
        "line_items": lines,
        "taxes": [{"uid": "std", "percentage": "8.25"}],
        "total_money": money(299 + 299 + 49),
        "metadata": {"note": note} if note else {},
    }


def return_order() -> dict[str, Any]:
    return {
        "id": "ORDER2",
        "reference_id": "S0001-R01-000009",
        "location_id": "S0001",
        "state": "COMPLETED",
        "closed_at": "2026-11-23T12:00:00Z",
        "returns": [
            {
                "return_line_items": [
                    {
                        "quantity": "2",
                        "catalog_object_id": "VAR-x",
                        "base_price_money": money(150),
                        "total_discount_money": money(30),
                        "total_tax_money": money(5),
                    }
                ]
            }
        ],
        "return_amounts": {"total_money": money(275)},
        "total_money": money(0),
    }


def test_sale_becomes_an_invoice_with_the_pos_total() -> None:
    doc = map_order(sale_order(), {})
    assert doc is not None
    assert doc.kind == "invoice"
    assert doc.key == "invoice:S0001-R01-000001"
    body = doc.body
    assert body["externalDocumentNumber"] == "S0001-R01-000001"
    assert body["invoiceDate"] == "2026-11-23"
    lines = body["salesInvoiceLines"]
    assert [x["lineObjectNumber"] for x in lines] == ["SKU-a", "SKU-b"]
    assert {x["locationCode"] for x in lines} == {"S0001"}
    assert [erp_line_tax(x) for x in lines] == [Decimal("0.25"), Decimal("0.24")]


def test_nominal_rate_rounds_per_line_and_loses_a_cent() -> None:
    doc = map_order(sale_order(), {}, TaxPerLine())
    assert doc is not None
    taxes = [erp_line_tax(x) for x in doc.body["salesInvoiceLines"]]
    assert sum(taxes) == Decimal("0.50")


def test_return_becomes_a_credit_memo_with_skus_from_the_catalogue() -> None:
    doc = map_order(return_order(), {"VAR-x": "SKU-x"})
    assert doc is not None
    assert doc.kind == "credit_memo"
    (line,) = doc.body["salesCreditMemoLines"]
    assert line["lineObjectNumber"] == "SKU-x"
    assert line["discountAmount"] == 0.3
    assert erp_line_tax(line) == Decimal("0.05")
    assert doc.lines == (("SKU-x", Decimal("2")),)


def test_unknown_sku_is_a_mapping_error() -> None:
    with pytest.raises(MappingError, match="no SKU for catalog_object_id 'VAR-x'"):
        map_order(return_order(), {})


def test_totals_that_do_not_add_up_are_refused() -> None:
    order = sale_order()
    order["total_money"] = money(1)
    with pytest.raises(MappingError, match="lines add up to 647 but the POS total is 1"):
        map_order(order, {})


@pytest.mark.parametrize("state", ["OPEN", "CANCELED", "DRAFT"])
def test_orders_that_are_not_completed_map_to_nothing(state: str) -> None:
    assert map_order({**sale_order(), "state": state}, {}) is None


def test_card_numbers_in_notes_are_scrubbed() -> None:
    doc = map_order(sale_order(note=f"paid with {CARD}"), {})
    assert doc is not None
    description = doc.body["salesInvoiceLines"][0]["description"]
    assert REPLACEMENT in description
    assert "4111" not in description


def test_card_notes_bug_keeps_the_number() -> None:
    doc = map_order(sale_order(note=f"paid with {CARD}"), {}, CardNotes())
    assert doc is not None
    assert CARD in doc.body["salesInvoiceLines"][0]["description"]


@given(
    net=st.integers(1, 10**7),
    rate=st.decimals(min_value=0, max_value=Decimal("0.25"), places=4),
    nudge=st.sampled_from([-1, 0, 1]),
)
def test_effective_percent_reproduces_any_apportioned_tax(
    net: int, rate: Decimal, nudge: int
) -> None:
    tax = max(0, int((net * rate).quantize(Decimal(1), ROUND_HALF_UP)) + nudge)
    pct = effective_percent(net, tax, 2)
    assert pct == pct.quantize(Decimal("0.00001"))
    computed = (Decimal(net) / 100 * pct / 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert computed == Decimal(tax) / 100
