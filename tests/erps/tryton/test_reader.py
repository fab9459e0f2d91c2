"""The harness's reader: scripted answers for the shapes, a real trytond for the truth."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from erps.tryton import (
    TrytonClient,
    TrytonDatabase,
    TrytonMove,
    TrytonReader,
    TrytonSale,
    TrytonSaleLine,
    init_database,
    start_server,
)

URL = "http://tryton.test/tillbench/"
WRITTEN = {"__class__": "datetime", "year": 2026, "month": 11, "day": 23, "hour": 11}
AT = dt.datetime(2026, 11, 23, 11, tzinfo=dt.UTC)


def dec(text: str) -> dict[str, str]:
    return {"__class__": "Decimal", "decimal": text}


SALES = [
    {
        "id": 2, "number": "S0001/2", "pos_reference": "R1", "point.": {"name": "S0001", "id": 1},
        "state": "posted", "date": {"__class__": "date", "year": 2026, "month": 11, "day": 23},
        "total": dec("-2.16"), "total_tax": dec("-0.16"), "create_date": WRITTEN,
        "write_date": WRITTEN,
    },
    {
        "id": 1, "number": None, "pos_reference": "T1", "point.": {"name": "S0002", "id": 2},
        "state": "open", "date": None, "total": dec("0"), "total_tax": dec("0"),
        "create_date": WRITTEN, "write_date": None,
    },
]  # fmt: skip
LINES = [
    {"id": 10, "sale": 2, "product.": {"code": "A"}, "quantity": -2.0,
     "unit_list_price": dec("1.0000"), "unit_gross_price": dec("1.0800")},
]  # fmt: skip
MOVES = [
    {"id": 5, "pos_reference": "adj-in", "product.": {"code": "A"}, "quantity": 3.0,
     "from_location": 99, "to_location": 11, "state": "done", "create_date": WRITTEN,
     "write_date": WRITTEN},
    {"id": 6, "pos_reference": "adj-out", "product.": {"code": "B"}, "quantity": 1.5,
     "from_location": 12, "to_location": 99, "state": "draft", "create_date": WRITTEN,
     "write_date": None},
]  # fmt: skip


class Scripted:
    """Answers search_read by model; records each query's domain and context."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, Any, dict[str, Any]]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        method, params = body["method"], body["params"]
        if method == "common.db.login":
            return self.ok([1, "s"])
        if method == "model.res.user.get_preferences":
            return self.ok({"company": 1})
        model = method.removeprefix("model.").removesuffix(".search_read")
        domain, offset, *_rest, context = params
        self.queries.append((model, domain, context))
        if offset:
            return self.ok([])
        rows = {
            "sale.point": [
                {"id": 1, "name": "S0001", "storage_location": 11},
                {"id": 2, "name": "S0002", "storage_location": 12},
            ],
            "sale.point.sale": SALES,
            "sale.point.sale.line": LINES,
            "stock.move": MOVES,
            "product.product": [
                {"id": 1, "code": "A", "quantity": 4.0 if context.get("locations") == [11] else 0.0,
                 "list_price_used": dec("1.0000")},
                {"id": 2, "code": None, "quantity": 0.0, "list_price_used": None},
            ],
        }[model]  # fmt: skip
        if domain == [["code", "!=", None]]:
            rows = [row for row in rows if row["code"] is not None]
        return self.ok(rows)

    @staticmethod
    def ok(result: Any) -> httpx.Response:
        return httpx.Response(200, json={"id": 1, "result": result})


@pytest.fixture
def scripted() -> Scripted:
    return Scripted()


@pytest.fixture
def reader(scripted: Scripted) -> TrytonReader:
    client = TrytonClient(URL, user="admin", password="pw", transport=httpx.MockTransport(scripted))
    return TrytonReader(client)


def test_stock_is_read_per_store_location(reader: TrytonReader, scripted: Scripted) -> None:
    assert reader.stock() == {("S0001", "A"): Decimal(4), ("S0002", "A"): Decimal(0)}
    contexts = [ctx for model, _d, ctx in scripted.queries if model == "product.product"]
    assert contexts == [
        {"company": 1, "locations": [11], "with_childs": True},
        {"company": 1, "locations": [12], "with_childs": True},
    ]
    assert reader.stock(["S0002"]) == {("S0002", "A"): Decimal(0)}
    assert sum(1 for model, _d, _c in scripted.queries if model == "sale.point") == 1


def test_an_unknown_store_is_a_key_error(reader: TrytonReader) -> None:
    with pytest.raises(KeyError, match="S0009"):
        reader.stock(["S0009"])


def test_sales_come_with_their_lines_in_id_order(reader: TrytonReader) -> None:
    found = reader.sales()

    assert [s.id for s in found] == [1, 2]
    assert found[0] == TrytonSale(
        id=1, number=None, pos_reference="T1", store_id="S0002", state="open", date=None,
        total=Decimal(0), total_tax=Decimal(0), create_date=AT, write_date=None, lines=(),
    )  # fmt: skip
    assert found[1].date == dt.date(2026, 11, 23)
    assert found[1].write_date == AT
    assert found[1].lines == (TrytonSaleLine("A", Decimal(-2), Decimal("1.0000"), Decimal("1.08")),)


def test_sales_by_reference_ask_for_those_references(
    reader: TrytonReader, scripted: Scripted
) -> None:
    reader.sales(["T1", "R1"])

    domains = {model: domain for model, domain, _c in scripted.queries}
    assert domains["sale.point.sale"] == [["pos_reference", "in", ["T1", "R1"]]]
    assert domains["sale.point.sale.line"] == [["sale", "in", [2, 1]]]


def test_moves_are_signed_into_the_store(reader: TrytonReader, scripted: Scripted) -> None:
    assert reader.moves() == [
        TrytonMove(5, "adj-in", "S0001", "A", Decimal(3), "done", AT, AT),
        TrytonMove(6, "adj-out", "S0002", "B", Decimal("-1.5"), "draft", AT, None),
    ]
    domains = [domain for model, domain, _c in scripted.queries if model == "stock.move"]
    assert domains == [[["pos_reference", "!=", None]]]


def test_products_with_a_code(reader: TrytonReader) -> None:
    assert [(p.code, p.list_price) for p in reader.products()] == [("A", Decimal(1))]


# --- against a real trytond -------------------------------------------------------------


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, tryton_spec: dict[str, Any]
) -> Iterator[TrytonReader]:
    workdir: Path = tmp_path_factory.mktemp("tryton-reader")
    database: TrytonDatabase = init_database(tryton_spec, workdir=workdir)
    with start_server(database, workdir=workdir) as server:
        client = TrytonClient(server.url, user=server.user, password=server.password)
        with client:
            yield TrytonReader(client)


def test_a_fresh_database_holds_the_specs_opening_stock(
    served: TrytonReader, tryton_spec: dict[str, Any]
) -> None:
    held = served.stock()

    wanted = {(store, sku): Decimal(units) for store, sku, units in tryton_spec["stock"]}
    assert {key: qty for key, qty in held.items() if qty} == wanted
    assert sorted(served.storage_locations()) == [s["id"] for s in tryton_spec["stores"]]


def test_a_fresh_database_has_the_catalogue_and_no_pos_documents(
    served: TrytonReader, tryton_spec: dict[str, Any]
) -> None:
    prices = {p.code: p.list_price for p in served.products()}

    assert prices == {p["code"]: Decimal(p["list_price"]) for p in tryton_spec["products"]}
    assert served.sales() == []
    assert served.moves() == []
    assert served.sales(["nowhere"]) == []
