"""The reference connectors against a real Tryton 8.2 (SQLite, one server process) and a
real mock POS: every sale and return posted exactly once as a POS sale with the POS total
and tax,
a POS waste adjustment as one stock move, and Tryton's stock per store × SKU equal to the
POS's at the end.

On PostgreSQL (``TILLBENCH_TEST_PG_URL``; skipped when unreachable), four concurrent
posters meet Tryton's lock errors, which are retried: still exactly once, and the sale
numbers stay unique (on SQLite, concurrent writers can share numbers).

Tryton runs from tillbench's own environment (``.venv-tryton``, created on first use) with
the master data of a small scenario; the initialised database is cached, so each test
starts from a copy of it in seconds."""

from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import simulator
from connectors.erp.tryton.client import TrytonRpc
from connectors.erp.tryton.poster import TrytonPos
from erps.tryton import (
    ErpError,
    TrytonServer,
    ensure_env,
    init_database,
    start_server,
)
from tests.connectors.core.test_stock_changes import change
from tests.connectors.erp.tryton.support import TrytonReads
from tests.connectors.support import Bench, Traffic, small_scenario, traffic
from tillbench.live.tryton import master_data

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
CONCURRENT_TRANSACTIONS = 60
KILL_TRANSACTIONS = 30
PG_URL = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)


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


def opening_stock(held: TrytonReads) -> dict[tuple[str, str], int]:
    """Tryton's stock for every store × SKU of the scenario (0 where it holds none)."""
    world = simulator.build_world(SCENARIO)
    stock = held.stock()
    return {
        (store, sku): int(stock.get((store, sku), Decimal(0)))
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


@dataclass(slots=True)
class Outcome:
    """What one connector run left in Tryton and the POS."""

    held: TrytonReads
    expected: Traffic
    waste_id: str
    waste_at: tuple[str, str]
    opening: dict[tuple[str, str], int]
    metrics: dict[str, Any]
    pos_stock: dict[tuple[str, str], Decimal]
    pos_amounts: dict[str, tuple[Decimal, Decimal]]
    dead_letters: list[tuple[str, str]]

    @property
    def references(self) -> list[str]:
        return sorted(self.expected.invoices | self.expected.credit_memos)


def run_connector(
    tmp_path: Path,
    server: TrytonServer,
    mode: str,
    expected: Traffic,
    settings: dict[str, Any],
    *,
    kill_after: int | None = None,
    extra: Sequence[dict[str, Any]] = (),
) -> Outcome:
    """Run the connector over ``expected`` (plus ``extra`` transactions Tryton must not get)
    and one POS waste adjustment, against a POS seeded with the stock Tryton starts with,
    and wait until Tryton holds all of it and the connector is idle. ``kill_after``: SIGKILL
    the connector once that many documents are in Tryton, and start it again."""
    references = sorted(expected.invoices | expected.credit_memos)
    held = TrytonReads(TrytonRpc(server.url, user=server.user, password=server.password))
    client = TrytonPos(TrytonRpc(server.url, user=server.user, password=server.password))
    stock = opening_stock(held)
    with Bench(tmp_path, SCENARIO, mock_erp=False) as bench:
        assert {k: v for k, v in bench.stock.items() if v} == {
            k: v for k, v in stock.items() if v
        }, "the POS starts with Tryton's stock"
        connector = bench.start_connector(
            ["-m", f"connectors.{mode}"], settings, erp_env=erp_env(server)
        )
        bench.push([*expected.transactions, *extra])
        if kill_after is not None:
            wait_for(
                lambda: len(client.find(references)) >= kill_after,
                timeout=120,
                what=f"{kill_after} documents in Tryton",
            )
            connector.kill()
            assert len(client.find(references)) < len(references)
            bench.start_connector(["-m", f"connectors.{mode}"], settings)
        wait_for(
            lambda: len(client.find(references)) == len(references),
            timeout=300,
            what="every sale and return in Tryton",
        )
        store, sku = max(stock, key=lambda k: stock[k])
        answer = bench.pos.post(
            "/v2/inventory/changes/batch-create",
            json={
                "idempotency_key": str(uuid.uuid4()),
                "changes": [change("waste", bench.variation_of(sku), store, WASTE)],
            },
        )
        assert answer.status_code == 200, answer.text
        waste_id = str(answer.json()["changes"][0]["adjustment"]["id"])[:35]
        wait_for(lambda: client.find_moves([waste_id]), timeout=60, what="the waste stock move")
        bench.wait_until_quiet(timeout=60)
        return Outcome(
            held=held,
            expected=expected,
            waste_id=waste_id,
            waste_at=(store, sku),
            opening=stock,
            metrics=bench.metrics(),
            pos_stock=bench.pos_stock(),
            pos_amounts={ref: pos_amounts_of(o) for ref, o in bench.pos_orders().items()},
            dead_letters=bench.dead_letters(),
        )


def check_exactly_once(outcome: Outcome, *, dead: int = 0) -> list[dict[str, Any]]:
    """Every reference once in Tryton, posted, with the POS total and tax; the waste one
    done stock move; Tryton's stock equal to the POS's for what Tryton knows; ``dead``
    dead letters; returns Tryton's sales."""
    held = outcome.held
    sales = held.posted_sales()
    counts = Counter(str(s["pos_reference"]) for s in sales)
    assert sorted(counts) == outcome.references
    assert set(counts.values()) == {1}
    for posted in sales:
        reference = str(posted["pos_reference"])
        sign = -1 if reference in outcome.expected.credit_memos else 1
        assert posted["state"] == "posted"
        assert (posted["total"], posted["total_tax"]) == tuple(
            sign * amount for amount in outcome.pos_amounts[reference]
        )
    moves = [m for m in held.posted_moves() if m["pos_reference"] == outcome.waste_id]
    assert len(moves) == 1
    assert moves[0]["state"] == "done"
    tryton_stock = held.stock()
    pos_stock = outcome.pos_stock
    known = {sku for _store, sku in tryton_stock}
    drift = {
        k: tryton_stock.get(k, Decimal(0)) - pos_stock.get(k, Decimal(0))
        for k in set(pos_stock) | set(tryton_stock)
        if k[1] in known and tryton_stock.get(k, Decimal(0)) != pos_stock.get(k, Decimal(0))
    }
    assert drift == {}
    assert tryton_stock[outcome.waste_at] < outcome.opening[outcome.waste_at]
    metrics = outcome.metrics
    assert metrics["posted"] == len(outcome.references) + 1, metrics
    assert metrics["dead_letters"] == dead == len(outcome.dead_letters)
    assert metrics["backlog"] == 0
    assert metrics["erp_calls"] > 0
    assert {"erp_status_503", "erp_retries"} <= set(metrics)
    return sales


@pytest.mark.parametrize("mode", ["realtime", "batch"])
def test_reference_connector_posts_to_tryton_exactly_once(
    tmp_path: Path, tryton: TrytonServer, mode: str
) -> None:
    expected = handful(SCENARIO)
    assert expected.returns
    assert len(expected.invoices) >= SALES
    check_exactly_once(run_connector(tmp_path, tryton, mode, expected, SETTINGS))


@pytest.fixture
def tryton_pg(tmp_path: Path, tryton_spec: dict[str, Any]) -> Iterator[TrytonServer]:
    """A Tryton server on a PostgreSQL copy of the database (skipped without PostgreSQL)."""
    url = PG_URL.rpartition("/")[0] + "/tillbench_connector_test"
    workdir = tmp_path / "tryton-pg"
    try:
        db = init_database(tryton_spec, workdir=workdir, db_url=url)
    except ErpError as error:
        if "unreachable" in str(error):
            pytest.skip(f"no PostgreSQL: {error}")
        raise
    with start_server(db, workdir=workdir) as server:
        yield server


def test_concurrent_posters_on_postgresql_post_once_with_unique_numbers(
    tmp_path: Path, tryton_pg: TrytonServer
) -> None:
    expected = traffic(SCENARIO, limit=CONCURRENT_TRANSACTIONS)
    settings = {**SETTINGS, "workers": 4}
    outcome = run_connector(tmp_path, tryton_pg, "realtime", expected, settings)
    sales = check_exactly_once(outcome)
    numbers = Counter(str(s["number"]) for s in sales)
    assert [n for n, c in numbers.items() if c > 1] == []
    assert outcome.metrics["erp_status_503"] >= outcome.metrics["erp_retries"]


def test_killed_connector_resumes_without_posting_twice(
    tmp_path: Path, tryton: TrytonServer
) -> None:
    expected = traffic(SCENARIO, limit=KILL_TRANSACTIONS)
    settings = {**SETTINGS, "workers": 1}
    check_exactly_once(
        run_connector(tmp_path, tryton, "realtime", expected, settings, kill_after=3)
    )


def test_sale_of_a_sku_tryton_lacks_is_a_dead_letter_naming_it(
    tmp_path: Path, tryton: TrytonServer
) -> None:
    expected = handful(SCENARIO)
    sale = next(t for t in expected.transactions if t["kind"] == "sale")
    stray = {
        **sale,
        "txn_id": "STRAY-SALE-1",
        "lines": [{**line, "sku": "SKU-NOT-IN-TRYTON"} for line in sale["lines"]],
    }
    outcome = run_connector(tmp_path, tryton, "batch", expected, SETTINGS, extra=[stray])
    check_exactly_once(outcome, dead=1)
    [(key, reason)] = outcome.dead_letters
    assert key == "invoice:STRAY-SALE-1"
    assert reason.startswith(
        f"SKU 'SKU-NOT-IN-TRYTON' (store '{sale['store_id']}') is not a product code in Tryton"
    )
