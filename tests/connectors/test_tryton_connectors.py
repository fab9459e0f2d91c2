"""The reference connectors against a real Tryton 8.2 (SQLite, one server process) and a
real mock POS: every sale and return posted exactly once as a POS sale with the POS total
and tax,
a POS waste adjustment as one stock move, and Tryton's stock per store × SKU equal to the
POS's at the end.

Tryton runs from tillbench's own environment (``.venv-tryton``, created on first use) with
the master data of a small scenario; the initialised database is cached, so each test
starts from a copy of it in seconds."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conn_support import Bench, Traffic, small_scenario, traffic
from test_conn_stock_changes import change, variation_of

import simulator
from connectors.common.tryton import TrytonPos, TrytonRpc
from tillbench.erp.tryton import (
    TrytonServer,
    ensure_env,
    init_database,
    master_data,
    start_server,
)

pytestmark = pytest.mark.slow

SCENARIO = small_scenario()
SETTINGS = {
    "interval": 1,
    "max_batch": 50,
    "workers": 2,
    "retry": {"attempts": 6, "base": 0.05, "cap": 1},
}
SALES = 8
WASTE = 3


def handful(scenario: Any) -> Traffic:
    """The scenario's first transactions up to its first return, with at least `SALES`
    sales (post-voids and cancellations in between included)."""
    every = traffic(scenario)
    kinds = [t["kind"] for t in every.transactions]
    first_return = kinds.index("return")
    sales = [i for i, kind in enumerate(kinds) if kind == "sale"]
    return traffic(scenario, limit=max(first_return, sales[SALES - 1]) + 1)


@pytest.fixture(scope="session")
def tryton_spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The small scenario's master data, its database initialised once (then cached)."""
    ensure_env()
    spec = master_data(SCENARIO)
    init_database(spec, workdir=tmp_path_factory.mktemp("tryton-init"))
    return spec


@pytest.fixture
def tryton(tmp_path: Path, tryton_spec: dict[str, Any]) -> Iterator[TrytonServer]:
    """A Tryton server on a fresh copy of the cached database."""
    workdir = tmp_path / "tryton"
    with start_server(init_database(tryton_spec, workdir=workdir), workdir=workdir) as server:
        yield server


def erp_env(server: TrytonServer) -> dict[str, str]:
    return {
        "TILLBENCH_ERP_KIND": "tryton",
        "TILLBENCH_ERP_URL": server.url,
        "TILLBENCH_ERP_TOKEN": f"{server.user}:{server.password}",
        "TILLBENCH_ERP_COMPANY": "1",
    }


def opening_stock(client: TrytonPos) -> dict[tuple[str, str], int]:
    """Tryton's stock for every store × SKU of the scenario (0 where it holds none)."""
    world = simulator.build_world(SCENARIO)
    held = client.stock()
    return {
        (store, sku): int(held.get((store, sku), Decimal(0)))
        for store in world.store_ids
        for sku in world.catalog.sku_ids
    }


def pos_amounts_of(order: dict[str, Any]) -> tuple[Decimal, Decimal]:
    """(total, tax) of a POS order in major units (a return: what was refunded)."""
    returned = order.get("return_amounts")
    total = (returned or order)["total_money"]["amount"]
    tax = returned["tax_money"]["amount"] if returned else order["total_tax_money"]["amount"]
    return Decimal(int(total)).scaleb(-2), Decimal(int(tax)).scaleb(-2)


def wait_for(done: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.5)


@pytest.mark.parametrize("mode", ["realtime", "batch"])
def test_reference_connector_posts_to_tryton_exactly_once(
    tmp_path: Path, tryton: TrytonServer, mode: str
) -> None:
    expected = handful(SCENARIO)
    references = sorted(expected.invoices | expected.credit_memos)
    assert expected.returns
    assert len(expected.invoices) >= SALES
    client = TrytonPos(TrytonRpc(tryton.url, user=tryton.user, password=tryton.password))
    with Bench(tmp_path, mock_erp=False) as bench:
        stock = opening_stock(client)
        bench.seed_pos(SCENARIO, stock)
        bench.erp_env = erp_env(tryton)
        bench.start_connector(["-m", f"connectors.{mode}"], SETTINGS)
        bench.push(expected.transactions)
        wait_for(
            lambda: len(client.find(references)) == len(references),
            timeout=120,
            what="every sale and return in Tryton",
        )
        store, sku = max(stock, key=lambda k: stock[k])
        answer = bench.pos.post(
            "/v2/inventory/changes/batch-create",
            json={
                "idempotency_key": str(uuid.uuid4()),
                "changes": [change("waste", variation_of(bench, sku), store, WASTE)],
            },
        )
        assert answer.status_code == 200, answer.text
        waste_id = str(answer.json()["changes"][0]["adjustment"]["id"])[:35]
        wait_for(lambda: client.find_moves([waste_id]), timeout=60, what="the waste stock move")
        bench.wait_until_quiet(timeout=60)
        metrics = bench.metrics()
        pos_stock = bench.pos_stock()
        pos_amounts = {ref: pos_amounts_of(o) for ref, o in bench.pos_orders().items()}
    sales = client.posted_sales()
    counts = Counter(str(s["pos_reference"]) for s in sales)
    assert sorted(counts) == references
    assert set(counts.values()) == {1}
    for posted in sales:
        reference = str(posted["pos_reference"])
        sign = -1 if reference in expected.credit_memos else 1
        assert posted["state"] == "posted"
        assert (posted["total"], posted["total_tax"]) == tuple(
            sign * amount for amount in pos_amounts[reference]
        )
    moves = client.find_moves([waste_id])
    assert len(moves) == 1
    [state] = client.rpc.model("stock.move", "read", list(moves.values()), ["state"])
    assert state["state"] == "done"
    tryton_stock = client.stock()
    keys = set(pos_stock) | set(tryton_stock)
    drift = {
        k: tryton_stock.get(k, Decimal(0)) - pos_stock.get(k, Decimal(0))
        for k in keys
        if tryton_stock.get(k, Decimal(0)) != pos_stock.get(k, Decimal(0))
    }
    assert drift == {}
    assert tryton_stock[(store, sku)] < stock[(store, sku)]
    assert metrics["posted"] == len(references) + 1, metrics
    assert metrics["dead_letters"] == 0
    assert metrics["backlog"] == 0
    assert metrics["erp_calls"] > 0
    assert {"erp_status_503", "erp_retries"} <= set(metrics)
