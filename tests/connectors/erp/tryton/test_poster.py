"""connectors.erp.tryton.poster: `TrytonPos` against a real Tryton 8.2 (SQLite, the small
scenario's cached database, one server for the module; every test posts its own
references). What Tryton then holds is read back with plain ``search_read`` calls
(`tests.connectors.erp.tryton.support`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from benchmarks.tryton_load import bench_scenario
from connectors.erp.tryton.client import TrytonError, TrytonRpc
from connectors.erp.tryton.poster import PosLine, PosSale, StockMove, TrytonPos
from erps.tryton import TrytonServer, init_database, start_server
from tests.connectors.erp.tryton.support import TrytonReads
from tillbench.live.tryton import master_data

DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return master_data(bench_scenario())


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, spec: dict[str, Any]
) -> Iterator[TrytonServer]:
    workdir = tmp_path_factory.mktemp("tryton-client")
    with start_server(init_database(spec, workdir=workdir), workdir=workdir) as running:
        yield running


@pytest.fixture
def pos(server: TrytonServer) -> Iterator[TrytonPos]:
    rpc = TrytonRpc(server.url, user=server.user, password=server.password)
    yield TrytonPos(rpc)
    rpc.close()


@pytest.fixture
def held(server: TrytonServer) -> Iterator[TrytonReads]:
    """What Tryton holds, read through a session of its own."""
    rpc = TrytonRpc(server.url, user=server.user, password=server.password)
    yield TrytonReads(rpc)
    rpc.close()


def ref() -> str:
    return f"T-{uuid.uuid4().hex[:12]}"


def sale(
    reference: str, store: str, *lines: tuple[str, int, str], tender: str = "credit"
) -> PosSale:
    items = tuple(PosLine(sku, Decimal(q), Decimal(price)) for sku, q, price in lines)
    total = sum(
        ((item.quantity * item.unit_gross_price).quantize(Decimal("0.01")) for item in items),
        Decimal(0),
    )
    return PosSale(reference, store, DAY, items, ((tender, total),))


def test_master_data_is_readable(pos: TrytonPos, spec: dict[str, Any]) -> None:
    assert pos.skus() == sorted(p["code"] for p in spec["products"])
    assert pos.store_ids() == sorted(s["id"] for s in spec["stores"])


def test_post_sales_creates_numbered_posted_sales(pos: TrytonPos, held: TrytonReads) -> None:
    before = held.stock(["S0001"])
    first, second = ref(), ref()
    posted = pos.post_sales(
        [
            sale(first, "S0001", ("SKU-00001", 2, "3.0498"), ("SKU-00002", 1, "2.1234")),
            sale(second, "S0001", ("SKU-00001", 3, "3.0498"), tender="cash"),
        ]
    )
    assert set(posted) == {first, second}
    assert {p.state for p in posted.values()} == {"posted"}
    numbers = [p.number for p in posted.values()]
    assert all(n and n.startswith("S0001/") for n in numbers)
    assert len(set(numbers)) == 2
    after = held.stock(["S0001"])
    assert after["S0001", "SKU-00001"] == before["S0001", "SKU-00001"] - 5
    assert after["S0001", "SKU-00002"] == before["S0001", "SKU-00002"] - 1
    rows = {s["pos_reference"]: s for s in held.posted_sales()}
    got = rows[first]
    assert got["store_id"] == "S0001"
    assert got["number"] == posted[first].number
    assert got["total"] == Decimal("8.22")  # 6.10 + 2.12, Decimals both ways
    assert isinstance(got["total_tax"], Decimal)
    assert got["create_date"].tzinfo is dt.UTC
    assert {(line["sku"], line["quantity"], line["unit_gross_price"]) for line in got["lines"]} == {
        ("SKU-00001", Decimal(2), Decimal("3.0498")),
        ("SKU-00002", Decimal(1), Decimal("2.1234")),
    }


def test_return_puts_stock_back_at_the_return_location(pos: TrytonPos, held: TrytonReads) -> None:
    reference = ref()
    before = held.stock(["S0002"])
    posted = pos.post_sales([sale(reference, "S0002", ("SKU-00003", -2, "5.0000"))])
    assert posted[reference].state == "posted"
    assert held.stock(["S0002"])["S0002", "SKU-00003"] == before["S0002", "SKU-00003"] + 2
    (point,) = pos.rpc.model(
        "sale.point", "search_read", [("name", "=", "S0002")], 0, 1, None, ["return_location"]
    )
    moves = pos.rpc.model(
        "stock.move",
        "search_read",
        [("origin.sale.pos_reference", "=", reference, "sale.point.sale.line")],
        0,
        None,
        None,
        ["to_location", "quantity", "state"],
    )
    assert [(m["to_location"], m["quantity"], m["state"]) for m in moves] == [
        (point["return_location"], 2.0, "done")
    ]


def test_reposting_the_same_references_creates_nothing(pos: TrytonPos, held: TrytonReads) -> None:
    batch = [sale(ref(), "S0001", ("SKU-00004", 1, "1.5000")) for _ in range(3)]
    first = pos.post_sales(batch)
    count = len(held.posted_sales())
    stock = held.stock(["S0001"])["S0001", "SKU-00004"]
    again = pos.post_sales(batch)
    assert again == first
    assert len(held.posted_sales()) == count
    assert held.stock(["S0001"])["S0001", "SKU-00004"] == stock


def test_an_interrupted_post_is_finished(pos: TrytonPos) -> None:
    opened, processed = ref(), ref()
    sales = [sale(r, "S0002", ("SKU-00007", 1, "2.0000")) for r in (opened, processed)]
    ids = pos.rpc.model("sale.point.sale", "create", [pos._sale_values(s) for s in sales])
    pos.rpc.model("sale.point.sale", "process", ids[1:])
    assert {p.state for p in pos.find([opened, processed]).values()} == {"open", "done"}
    posted = pos.post_sales(sales)
    assert {r: p.state for r, p in posted.items()} == {opened: "posted", processed: "posted"}
    assert sorted(p.id for p in posted.values()) == sorted(ids)


def test_a_sale_another_caller_posted_meanwhile_is_fine(
    pos: TrytonPos, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = ref()
    batch = [sale(reference, "S0001", ("SKU-00008", 1, "2.0000"))]
    posted = pos.post_sales(batch)
    stale = {reference: dataclasses.replace(posted[reference], state="open")}
    monkeypatch.setattr(pos, "find", lambda _refs: stale)
    assert pos.post_sales(batch) == posted


def test_an_unpaid_sale_stays_open_and_is_a_400(pos: TrytonPos) -> None:
    reference = ref()
    values = pos._sale_values(sale(reference, "S0001", ("SKU-00009", 1, "2.0000")))
    values["payments"] = [("create", [{"method": pos._methods["credit"], "amount": Decimal(1)}])]
    pos.rpc.model("sale.point.sale", "create", [values])
    with pytest.raises(TrytonError, match=rf"sales \['{reference}'\] stay open") as caught:
        pos.post_sales([sale(reference, "S0001", ("SKU-00009", 1, "2.0000"))])
    assert caught.value.status == 400


def test_unknown_sku_is_a_400_naming_it(pos: TrytonPos) -> None:
    reference = ref()
    with pytest.raises(TrytonError) as caught:
        pos.post_sales([sale(reference, "S0001", ("NO-SUCH-SKU", 1, "1.0000"))])
    assert caught.value.status == 400
    assert "unknown SKU 'NO-SUCH-SKU'" in caught.value.message
    assert reference in caught.value.message
    assert pos.find([reference]) == {}


def test_unknown_store_and_tender_are_400s(pos: TrytonPos) -> None:
    with pytest.raises(TrytonError, match="unknown store 'S9999'") as store:
        pos.post_sales([sale(ref(), "S9999", ("SKU-00001", 1, "1.0000"))])
    assert store.value.status == 400
    with pytest.raises(TrytonError, match="unknown tender 'bitcoin'") as tender:
        pos.post_sales([sale(ref(), "S0001", ("SKU-00001", 1, "1.0000"), tender="bitcoin")])
    assert tender.value.status == 400


def test_move_stock_is_idempotent_and_moves_stock(pos: TrytonPos, held: TrytonReads) -> None:
    out, into = ref(), ref()
    before = held.stock(["S0002"])["S0002", "SKU-00005"]
    moves = [
        StockMove(out, "S0002", "SKU-00005", Decimal(-3)),
        StockMove(into, "S0002", "SKU-00005", Decimal(1)),
    ]
    first = pos.move_stock(moves)
    assert set(first) == {out, into}
    assert pos.move_stock(moves) == first
    assert pos.find_moves([out, into, "nope"]) == first
    assert held.stock(["S0002"])["S0002", "SKU-00005"] == before - 2
    listed = {m["pos_reference"]: m for m in held.posted_moves()}
    assert listed[out]["quantity"] == Decimal(-3)
    assert listed[into]["quantity"] == Decimal(1)
    assert listed[out]["store_id"] == "S0002"
    assert {listed[out]["state"], listed[into]["state"]} == {"done"}


def test_stock_is_opening_stock_minus_what_was_posted(
    pos: TrytonPos, held: TrytonReads, spec: dict[str, Any]
) -> None:
    pos.post_sales([sale(ref(), "S0001", ("SKU-00006", 2, "1.0000"))])
    expected = {(s, k): Decimal(q) for s, k, q in spec["stock"]}
    for posted in held.posted_sales():
        if posted["state"] != "posted":
            continue
        for line in posted["lines"]:
            key = (posted["store_id"], line["sku"])
            expected[key] = expected.get(key, Decimal(0)) - line["quantity"]
    for move in held.posted_moves():
        key = (move["store_id"], move["sku"])
        expected[key] = expected.get(key, Decimal(0)) + move["quantity"]
    held = held.stock()
    assert {k: v for k, v in held.items() if v} == {k: v for k, v in expected.items() if v}


def test_empty_batches_cost_no_call(pos: TrytonPos) -> None:
    before = pos.rpc.stats().calls
    assert pos.post_sales([]) == {}
    assert pos.move_stock([StockMove(ref(), "S0001", "SKU-00001", Decimal(0))]) == {}
    assert pos.find([]) == {}
    assert pos.rpc.stats().calls == before


def test_stats_count_calls(pos: TrytonPos) -> None:
    before = pos.rpc.stats()
    pos.find(["nothing-here"])
    after = pos.rpc.stats()
    assert after.calls == before.calls + 1
    assert after.status_503 == 0
