"""`BcErp`: the mock ERP speaking Business Central API v2.0 (``mocks/erp/bc``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from domain.clock import RunClock
from tillbench.live.erp_events import ErpEvent
from tillbench.live.errors import HarnessError
from tillbench.live.seed import minor_exponent
from tillbench.live.targets.bc.collect import collect_tables
from tillbench.live.targets.bc.events import BcEventApplier
from tillbench.live.targets.mock import MockErp
from tillbench.live.targets.protocol import EventApply, StockLevels, StockRead, TargetOptions

__all__ = ["BcErp"]


class BcErp(MockErp):
    """The mock Business Central; the harness reads it through its API with its own token."""

    name = "bc"

    def __init__(self, options: TargetOptions) -> None:
        super().__init__(options)
        self._company_id: str | None = None

    def ready(self) -> None:
        """Wait for the mock, then look its company up (``GET /api/v2.0/companies``)."""
        super().ready()
        response = httpx.get(f"{self.url}/companies", headers=self.harness_headers, timeout=10)
        response.raise_for_status()
        companies = response.json()["value"]
        if not companies:
            raise HarnessError(f"the ERP at {self.base} has no company")
        self._company_id = str(companies[0]["id"])

    @property
    def url(self) -> str:
        """The API root, ``http://127.0.0.1:PORT/api/v2.0``."""
        return f"{self.base}/api/v2.0"

    @property
    def company_id(self) -> str:
        if self._company_id is None:
            raise HarnessError("the Business Central company is known once the ERP is ready")
        return self._company_id

    @property
    def company_url(self) -> str:
        return f"{self.url}/companies({self.company_id})"

    @property
    def inventory_url(self) -> str:
        """The stock read-back API: stock per location and item."""
        return (
            f"{self.base}/api/tillbench/inventory/v1.0/companies({self.company_id})"
            "/locationInventories"
        )

    def connector_env(self) -> dict[str, str]:
        return {
            "TILLBENCH_ERP_KIND": self.name,
            "TILLBENCH_ERP_URL": self.url,
            "TILLBENCH_ERP_COMPANY": self.company_id,
            "TILLBENCH_ERP_TOKEN": self.run.credentials.connector,
        }

    def stock_read(self, stores: list[str]) -> StockRead:
        """``locationInventories`` of ``stores`` (OData paged); None when it cannot be read."""
        url, headers, wanted = self.inventory_url, self.harness_headers, set(stores)

        async def read(client: httpx.AsyncClient) -> StockLevels | None:
            out: StockLevels = {}
            next_url: str | None = url
            try:
                while next_url:
                    response = await client.get(next_url, headers=headers)
                    response.raise_for_status()
                    page = response.json()
                    for row in page.get("value") or []:
                        if row["locationCode"] in wanted:
                            out[(row["locationCode"], row["itemNumber"])] = float(row["inventory"])
                    next_url = page.get("@odata.nextLink")
            except (httpx.HTTPError, ValueError, KeyError):
                return None
            return out

        return read

    def events(self, *, on_applied: Callable[[ErpEvent, float], None]) -> EventApply | None:
        applier = BcEventApplier(
            company_url=self.company_url,
            token=self.run.credentials.harness,
            exponent=minor_exponent(self.run.scenario.currency),
            on_applied=on_applied,
        )
        return applier.apply

    def collect_tables(self, run_dir: Path, clock: RunClock) -> dict[str, int]:
        return collect_tables(
            run_dir,
            company_url=self.company_url,
            token=self.run.credentials.harness,
            clock=clock,
            exponent=minor_exponent(self.run.scenario.currency),
        )
