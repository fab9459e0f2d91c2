"""Tryton's POS sales and stock moves as the run tables verification reads (no Tryton)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest

import reports
from domain.clock import RunClock
from domain.rundir import LIVE_TABLES
from erps.tryton import TrytonMove, TrytonProduct, TrytonSale, TrytonSaleLine, erp_tables
from erps.tryton.collect import item_rows, move_documents, sale_documents
from reports._exactly_once import check
from reports._numbers import duplicate_numbers

CLOCK = RunClock(wall_origin=1_700_000_000.0, speed=60.0)
POSTED = dt.datetime.fromtimestamp(1_700_000_010.0, tz=dt.UTC)


def _sale(
    sale_id: int, reference: str, lines: list[tuple[str, str, str, str]], **extra: Any
) -> TrytonSale:
    sale = TrytonSale(
        id=sale_id,
        number=f"POS{sale_id}",
        pos_reference=reference,
        store_id="S0001",
        state="posted",
        date=POSTED.date(),
        total=None,
        total_tax=None,
        create_date=POSTED - dt.timedelta(seconds=2),
        write_date=POSTED,
        lines=tuple(
            TrytonSaleLine(
                sku=sku,
                quantity=Decimal(q),
                unit_list_price=Decimal(net),
                unit_gross_price=Decimal(gross),
            )
            for sku, q, net, gross in lines
        ),
    )
    return dataclasses.replace(sale, **extra)


def test_a_sale_is_an_invoice_with_tryton_amounts_and_number() -> None:
    sale = _sale(7, "T1", [("A", "3", "1.9900", "2.1592"), ("B", "1", "5.0000", "5.4250")])

    docs, lines = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    (doc,) = docs
    # A: net round(5.97)=597, gross round(6.4776)=648; B: net 500, gross round(5.425)=542
    assert doc["kind"] == "invoice"
    assert (doc["number"], doc["external_document_number"]) == ("POS7", "T1")
    assert (doc["total_minor"], doc["tax_minor"]) == (648 + 542, 51 + 42)
    assert doc["status"] == "Posted"
    assert doc["committed_t"] == pytest.approx(10.0 * 60)
    assert [(x["sku"], x["quantity"], x["tax_minor"]) for x in lines] == [
        ("A", 3.0, 51),
        ("B", 1.0, 42),
    ]
    for line in lines:
        net = round(line["quantity"] * line["unit_price_minor"]) - line["discount_minor"]
        assert net in (597, 500)


def test_a_return_is_a_credit_memo_with_positive_amounts() -> None:
    sale = _sale(8, "R1", [("A", "-2", "1.9900", "2.1592")])

    docs, lines = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    assert docs[0]["kind"] == "credit_memo"
    assert (docs[0]["total_minor"], docs[0]["tax_minor"]) == (432, 34)
    assert lines[0]["quantity"] == 2.0
    assert round(2 * lines[0]["unit_price_minor"]) - lines[0]["discount_minor"] == 398


@pytest.mark.parametrize("state", ["open", "done", "cancelled"])
def test_only_a_posted_sale_counts_as_posted(state: str) -> None:
    docs, _ = sale_documents(
        [_sale(9, "T2", [("A", "1", "1", "1")], state=state)],
        clock=CLOCK,
        exponent=2,
        currency="USD",
    )

    assert docs[0]["status"] == "Draft"


def test_stock_moves_are_journal_lines_without_a_number() -> None:
    move = TrytonMove(
        id=3,
        pos_reference="adj-1",
        store_id="S0001",
        sku="A",
        quantity=Decimal("-4"),
        state="done",
        create_date=None,
        write_date=POSTED,
    )

    docs, lines = move_documents([move], clock=CLOCK)

    assert docs[0]["kind"] == "journal"
    assert docs[0]["number"] is None
    assert lines[0]["quantity"] == -4.0


def test_the_rows_fit_the_tables_and_verification_matches_them() -> None:
    sales = [
        _sale(1, "T1", [("A", "2", "1.0000", "1.0800")]),
        _sale(2, "T2", [("A", "1", "1.0000", "1.0800")], number="POS1"),
        _sale(3, "R1", [("A", "-1", "1.0000", "1.0800")]),
    ]
    docs, lines = sale_documents(sales, clock=CLOCK, exponent=2, currency="USD")
    documents = pa.Table.from_pylist(docs, schema=LIVE_TABLES["erp/documents"])
    document_lines = pa.Table.from_pylist(lines, schema=LIVE_TABLES["erp/document_lines"])
    truth = pa.table(
        {
            "txn_id": ["T1", "T2", "R1"],
            "kind": ["sale", "sale", "return"],
            "t": [1.0, 2.0, 3.0],
            "total_minor": [216, 108, 108],
            "tax_minor": [16, 8, 8],
            "original_txn_id": pa.array([None, None, "T1"], pa.string()),
        }
    )
    truth_lines = pa.table(
        {
            "txn_id": ["T1", "T2", "R1"],
            "line_no": [1, 1, 1],
            "sku": ["A", "A", "A"],
            "quantity": [2, 1, 1],
            "unit_price_minor": [100, 100, 100],
            "net_minor": [200, 100, 100],
            "voided": [False, False, False],
            "t": [1.0, 2.0, 3.0],
        }
    )

    once, _ = check(
        truth,
        truth_lines,
        documents,
        document_lines,
        tax_rates=None,
        tenders=None,
        deadline_t=None,
    )
    shared = duplicate_numbers(documents)

    assert once.missing.count == once.duplicated.count == once.mismatched.count == 0
    assert shared is not None
    assert shared.numbers == 1
    assert shared.examples == [reports.SharedNumber("POS1", ["T1", "T2"])]


def test_the_documents_totals_are_trytons_own() -> None:
    sale = _sale(
        4,
        "R2",
        [("A", "-1", "1.0000", "1.0800")],
        total=Decimal("-1.09"),
        total_tax=Decimal("-0.09"),
    )

    docs, lines = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    assert (docs[0]["total_minor"], docs[0]["tax_minor"]) == (109, 9)
    assert lines[0]["tax_minor"] == 8


def test_products_are_items_in_minor_units() -> None:
    rows = item_rows(
        [TrytonProduct("A", Decimal("1.995")), TrytonProduct("B", Decimal(3))], exponent=2
    )

    assert rows == [
        {"sku": "A", "unit_price_minor": 200, "name": "A"},
        {"sku": "B", "unit_price_minor": 300, "name": "B"},
    ]


def test_a_record_without_a_write_date_is_committed_at_its_creation() -> None:
    sale = _sale(5, "T5", [("A", "1", "1", "1")], write_date=None)

    docs, _ = sale_documents([sale], clock=CLOCK, exponent=2, currency="USD")

    assert docs[0]["created_wall"] == pytest.approx(1_700_000_008.0)
    assert docs[0]["committed_t"] == pytest.approx(8.0 * 60)


class _Reader:
    """What `erp_tables` reads, without a Tryton."""

    def sales(self) -> list[TrytonSale]:
        return [_sale(1, "T1", [("A", "2", "1.0000", "1.0800")])]

    def moves(self) -> list[TrytonMove]:
        return [
            TrytonMove(3, "adj-1", "S0001", "A", Decimal(5), "done", None, POSTED),
            TrytonMove(4, "adj-2", "S0001", "A", Decimal(-1), "draft", None, POSTED),
        ]

    def products(self) -> list[TrytonProduct]:
        return [TrytonProduct("A", Decimal(1))]


def test_erp_tables_are_every_erp_table_of_the_contract() -> None:
    tables = erp_tables(_Reader(), clock=CLOCK, exponent=2, currency="USD")

    assert sorted(tables) == ["erp/customers", "erp/document_lines", "erp/documents", "erp/items"]
    assert [d["document_id"] for d in tables["erp/documents"]] == [
        "tryton-sale-1",
        "tryton-move-3",
        "tryton-move-4",
    ]
    assert [d["status"] for d in tables["erp/documents"]] == ["Posted", "Posted", "Draft"]
    assert [line["quantity"] for line in tables["erp/document_lines"]] == [2.0, 5.0, -1.0]
    assert tables["erp/customers"] == []
    assert tables["erp/items"] == [{"sku": "A", "unit_price_minor": 100, "name": "A"}]
    for name, rows in tables.items():
        assert pa.Table.from_pylist(rows, schema=LIVE_TABLES[name]).num_rows == len(rows)
