"""`BcErp`, the mock Business Central as the ERP target: the connector's environment and
the sampler's stock read (``locationInventories``, OData paged) — against scripted answers."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tillbench.live import HarnessError
from tillbench.live.mocks import Credentials, MockProcess
from tillbench.live.targets import TargetOptions, TargetRun
from tillbench.live.targets.bc import BcErp


def _bc(tmp_path: Path) -> BcErp:
    erp = BcErp(TargetOptions())
    erp._server = MockProcess(proc=None, port=8102, db="sqlite:///x")  # type: ignore[arg-type]
    erp._run = TargetRun(
        scenario=None, run_dir=tmp_path, speed=60.0, credentials=Credentials("conn", "tb")
    )
    erp._company_id = "c1"
    return erp


def test_the_connector_gets_the_api_root_the_company_and_its_own_token(tmp_path: Path) -> None:
    assert _bc(tmp_path).connector_env() == {
        "TILLBENCH_ERP_KIND": "bc",
        "TILLBENCH_ERP_URL": "http://127.0.0.1:8102/api/v2.0",
        "TILLBENCH_ERP_COMPANY": "c1",
        "TILLBENCH_ERP_TOKEN": "conn",
    }


def test_the_company_is_known_once_the_erp_is_ready(tmp_path: Path) -> None:
    erp = _bc(tmp_path)
    erp._company_id = None

    with pytest.raises(HarnessError, match="once the ERP is ready"):
        erp.connector_env()


def _read(erp: BcErp, answers: list[httpx.Response], stores: list[str]) -> Any:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer tb"
        seen.append(str(request.url))
        return answers.pop(0)

    async def go() -> Any:
        async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
            return await erp.stock_read(stores)(client)

    return asyncio.run(go()), seen


def _row(store: str, sku: str, units: float) -> dict[str, Any]:
    return {"locationCode": store, "itemNumber": sku, "inventory": units}


def test_stock_follows_next_links_and_keeps_the_stores_asked_for(tmp_path: Path) -> None:
    erp = _bc(tmp_path)
    page1 = {
        "value": [_row("S0001", "A", 4), _row("S9999", "A", 1)],
        "@odata.nextLink": "http://x/2",
    }
    page2 = {"value": [_row("S0001", "B", 0)]}

    found, seen = _read(
        erp, [httpx.Response(200, json=page1), httpx.Response(200, json=page2)], ["S0001"]
    )

    assert found == {("S0001", "A"): 4.0, ("S0001", "B"): 0.0}
    assert seen == [erp.inventory_url, "http://x/2"]
    assert "/api/tillbench/inventory/v1.0/companies(c1)/locationInventories" in erp.inventory_url


def test_an_erp_in_an_outage_gives_none(tmp_path: Path) -> None:
    found, _ = _read(_bc(tmp_path), [httpx.Response(503, json={})], ["S0001"])

    assert found is None
