"""Square orders → neutral documents: sales and returns with their lines, tenders and notes;
which webhook events name an order to fetch; where a search for orders starts again."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from connectors.core.documents import DocumentLine, Payment
from connectors.core.errors import MappingError
from connectors.pos.square.orders import document, order_ids, pos_order, rewind


def money(amount: int) -> dict[str, Any]:
    return {"amount": amount, "currency": "USD"}


def sale() -> dict[str, Any]:
    return {
        "id": "ORDER1",
        "reference_id": "S0001-R01-000001",
        "location_id": "S0001",
        "state": "COMPLETED",
        "updated_at": "2026-11-23T11:01:19Z",
        "closed_at": "2026-11-23T11:01:18Z",
        "line_items": [
            {
                "name": "Apples",
                "quantity": "3",
                "catalog_object_id": "VAR-A",
                "base_price_money": money(299),
                "total_discount_money": money(60),
                "total_tax_money": money(62),
                "applied_taxes": [{"tax_uid": "std"}, {"tax_uid": "city"}],
                "note": "bruised",
            }
        ],
        "taxes": [{"uid": "std", "percentage": "7.25"}, {"uid": "city", "percentage": "1"}],
        "total_money": money(899),
        "tenders": [
            {"type": "CARD", "amount_money": money(500)},
            {"type": "WALLET", "amount_money": money(399)},
        ],
        "metadata": {"note": "gift"},
    }


def test_a_sale_reads_as_a_document_with_lines_payments_and_notes() -> None:
    read = document(sale(), {"VAR-A": "SKU-A"})
    assert read is not None
    assert (read.order_id, read.reference, read.store_id) == (
        "ORDER1",
        "S0001-R01-000001",
        "S0001",
    )
    assert (read.is_return, read.kind, read.day, read.total, read.note) == (
        False,
        "invoice",
        "2026-11-23",
        899,
        "gift",
    )
    assert read.lines == (
        DocumentLine("SKU-A", "Apples", Decimal(3), 299, 60, 62, Decimal("8.25"), "bruised"),
    )
    assert read.lines[0].charged == 3 * 299 - 60 + 62
    assert read.payments == (Payment("card", 500), Payment("other", 399))


def test_a_return_reads_its_return_lines_and_refund() -> None:
    order = {
        "id": "ORDER2",
        "reference_id": "S0001-R01-000009",
        "location_id": "S0001",
        "state": "COMPLETED",
        "closed_at": "2026-11-23T12:00:00Z",
        "returns": [
            {
                "return_line_items": [
                    {"quantity": "2", "metadata": {"sku": "SKU-X"}, "base_price_money": money(150)}
                ]
            }
        ],
        "return_amounts": {"total_money": money(300)},
        "total_money": money(0),
    }
    read = document(order, {})
    assert read is not None
    assert (read.is_return, read.kind, read.total, read.payments) == (True, "credit_memo", 300, ())
    assert read.moves == (("SKU-X", Decimal(2)),)
    assert read.lines[0].nominal_tax_percent is None


def test_a_line_without_a_sku_names_its_catalogue_object() -> None:
    with pytest.raises(MappingError, match=r"^order 'ORDER1' line 0: no SKU for catalog_object_id"):
        document(sale(), {})


def test_an_order_read_for_fetching_knows_its_state_and_change() -> None:
    order = pos_order(sale())
    assert (order.id, order.completed, order.updated_at) == (
        "ORDER1",
        True,
        "2026-11-23T11:01:19Z",
    )
    assert not pos_order({**sale(), "state": "OPEN"}).completed


def event(kind: str, object_id: str, state: str | None) -> tuple[str, str, str | None, str]:
    detail = {} if state is None else {"state": state}
    body = {"data": {"id": object_id, "object": {"order_updated": detail}}}
    return (f"e-{object_id}", kind, object_id, json.dumps(body))


def test_order_events_reporting_completion_name_their_orders() -> None:
    events = [
        event("order.updated", "O1", "COMPLETED"),
        event("order.updated", "O2", "OPEN"),
        event("order.created", "O3", None),
        event("payment.updated", "P1", "COMPLETED"),
        ("e-bad", "order.updated", "O4", "not json"),
    ]
    assert order_ids(events) == ["O1", "O3"]


def test_searches_start_thirty_seconds_before_the_cursor() -> None:
    assert rewind(None) is None
    assert rewind("2026-11-23T11:00:10Z") == "2026-11-23T10:59:40Z"
