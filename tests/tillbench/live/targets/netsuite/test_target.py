"""`NetSuiteErp`, the mock NetSuite as the ERP target: the connector's environment, the
settings it takes from the scenario, the sampler's stock read and the collection through
SuiteQL — against the NetSuite mock on a loopback port."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from domain.clock import RunClock
from tests.mocks.erp.netsuite.support import RECORD, cash_sale, on_hand, serve_netsuite, signed
from tillbench.live.erp_events import ErpEvent
from tillbench.live.mocks import Credentials, MockProcess
from tillbench.live.targets import TargetOptions, TargetRun
from tillbench.live.targets.netsuite import NetSuiteErp
from tillbench.live.targets.netsuite.collect import suiteql


class _Scenario:
    currency = "USD"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[NetSuiteErp, str]]:
    (tmp_path / "mock").mkdir()
    with serve_netsuite(
        tmp_path / "mock", api_tokens={"tb": "harness", "conn": "connector"}
    ) as base:
        erp = NetSuiteErp(TargetOptions())
        port = int(base.rsplit(":", 1)[1])
        erp._server = MockProcess(proc=None, port=port, db="sqlite:///x")  # type: ignore[arg-type]
        erp._run = TargetRun(
            scenario=_Scenario(),
            run_dir=tmp_path,
            speed=60.0,
            credentials=Credentials("conn", "tb"),
        )
        yield erp, base


def test_the_connector_gets_the_rest_root_and_its_own_token(
    served: tuple[NetSuiteErp, str],
) -> None:
    erp, base = served
    env = erp.connector_env()
    assert env["TILLBENCH_ERP_KIND"] == "netsuite"
    assert env["TILLBENCH_ERP_URL"] == f"{base}/services/rest"
    assert env["TILLBENCH_ERP_TOKEN"] == "conn"
    assert erp.events_skipped is None


def test_stock_read_and_collection_through_suiteql(
    served: tuple[NetSuiteErp, str], tmp_path: Path
) -> None:
    erp, base = served
    with signed(base) as ns:
        sale = ns.post(f"{RECORD}/cashSale", json=cash_sale("T-1", ("SKU-1", "S001", 2)))
        memo = ns.post(f"{RECORD}/creditMemo", json=cash_sale("R-1", ("SKU-1", "S001", 1)))
        assert sale.status_code == memo.status_code == 204

    async def read() -> Any:
        async with httpx.AsyncClient() as client:
            return await erp.stock_read(["S001"])(client)

    levels = asyncio.run(read())
    assert levels[("S001", "SKU-1")] == 99.0
    assert ("S002", "SKU-1") not in levels
    clock = RunClock(wall_origin=time.time() - 60, speed=60.0)
    counts = erp.collect_tables(tmp_path, clock)
    assert counts == {
        "erp/documents": 2,
        "erp/document_lines": 2,
        "erp/customers": 1,
        "erp/items": 3,
    }
    docs = pq.read_table(tmp_path / "erp" / "documents.parquet").to_pylist()
    assert [(d["kind"], d["external_document_number"], d["store_id"]) for d in docs] == [
        ("invoice", "T-1", "S001"),
        ("credit_memo", "R-1", "S001"),
    ]
    assert docs[0]["total_minor"] == 258
    assert 3000 < docs[0]["committed_t"] < 4000
    lines = pq.read_table(tmp_path / "erp" / "document_lines.parquet").to_pylist()
    assert (lines[0]["sku"], lines[0]["quantity"], lines[0]["unit_price_minor"]) == (
        "SKU-1",
        2.0,
        129,
    )


def test_suiteql_pages_through_every_row(served: tuple[NetSuiteErp, str]) -> None:
    erp, _base = served
    with httpx.Client(headers={"Authorization": "Bearer tb"}) as client:
        rows = suiteql(client, erp.suiteql_url, "SELECT itemid FROM item ORDER BY itemid")
    assert [r["itemid"] for r in rows] == ["SKU-1", "SKU-2", "SKU-3"]


def test_erp_events_go_through_the_record_service(served: tuple[NetSuiteErp, str]) -> None:
    erp, base = served
    applied: list[str] = []
    apply = erp.events(on_applied=lambda event, _wall: applied.append(event.kind))
    assert apply is not None
    events = [
        ErpEvent(t=10.0, kind="price_change", sku="SKU-1", unit_price_minor=149),
        ErpEvent(t=20.0, kind="new_item", sku="SKU-9", unit_price_minor=500, name="Tea"),
        ErpEvent(t=30.0, kind="receipt", sku="SKU-2", store_id="S002", quantity=24),
        ErpEvent(t=30.0, kind="receipt", sku="SKU-2", store_id="S002", quantity=24),
    ]

    async def go() -> None:
        for event in events:
            await apply(event)

    asyncio.run(go())
    assert applied == ["price_change", "new_item", "receipt", "receipt"]
    with signed(base) as ns:
        assert ns.get(f"{RECORD}/inventoryItem/eid:SKU-1").json()["basePrice"] == 1.49
        assert ns.get(f"{RECORD}/inventoryItem/eid:SKU-9").json()["displayName"] == "Tea"
        assert on_hand(ns, "SKU-2", "S002") == 24.0  # the same delivery twice lands once
