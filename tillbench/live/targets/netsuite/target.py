"""`NetSuiteErp`: the mock ERP speaking NetSuite's SuiteTalk REST web services
(``mocks/erp/netsuite``). The connector gets the REST root and an OAuth 2.0 access token;
the harness reads stock and the end state through SuiteQL and makes the ERP-side events
through the record service (`tillbench.live.targets.netsuite.events`), with its own
token."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from domain.clock import RunClock
from tillbench.live.erp_events import ErpEvent
from tillbench.live.seed import minor_exponent
from tillbench.live.targets.mock import MockErp
from tillbench.live.targets.netsuite.collect import collect_tables
from tillbench.live.targets.netsuite.events import NetSuiteEventApplier
from tillbench.live.targets.protocol import EventApply, StockLevels, StockRead, TargetRun

__all__ = ["NetSuiteErp"]

_NOT_NETSUITE = ("duplicates", "posting", "batch", "max_batch_operations", "queue")
_STOCK = (
    "SELECT l.externalid AS store, i.itemid AS sku, s.quantityonhand "
    "FROM inventoryitemlocations s JOIN item i ON i.id = s.item "
    "JOIN location l ON l.id = s.location ORDER BY i.itemid, l.externalid"
)


class NetSuiteErp(MockErp):
    """The mock NetSuite account."""

    name = "netsuite"

    def _settings(self, run: TargetRun) -> dict[str, Any]:
        """The scenario's ``erp`` section as NetSuite has it: its concurrency is the
        account's limit, refused at once over it (no queue); NetSuite has no drafts, keeps
        external ids unique and has no ``$batch``."""
        settings = {k: v for k, v in super()._settings(run).items() if k not in _NOT_NETSUITE}
        return {**settings, "queue": 0}

    @property
    def url(self) -> str:
        """The REST root, ``http://127.0.0.1:PORT/services/rest``."""
        return f"{self.base}/services/rest"

    @property
    def suiteql_url(self) -> str:
        return f"{self.url}/query/v1/suiteql"

    def connector_env(self) -> dict[str, str]:
        return {
            "TILLBENCH_ERP_KIND": self.name,
            "TILLBENCH_ERP_URL": self.url,
            "TILLBENCH_ERP_COMPANY": "1234567",
            "TILLBENCH_ERP_TOKEN": self.run.credentials.connector,
        }

    def stock_read(self, stores: list[str]) -> StockRead:
        """On-hand quantities of ``stores`` through SuiteQL; None when unreadable."""
        url, wanted = self.suiteql_url, set(stores)
        headers = {**self.harness_headers, "Prefer": "transient"}

        async def read(client: httpx.AsyncClient) -> StockLevels | None:
            out: StockLevels = {}
            offset = 0
            try:
                while True:
                    response = await client.post(
                        url,
                        params={"limit": 1000, "offset": offset},
                        json={"q": _STOCK},
                        headers=headers,
                    )
                    response.raise_for_status()
                    page = response.json()
                    for row in page.get("items") or []:
                        if row["store"] in wanted:
                            out[(row["store"], row["sku"])] = float(row["quantityonhand"])
                    if not page.get("hasMore"):
                        return out
                    offset += 1000
            except (httpx.HTTPError, ValueError, KeyError):
                return None

        return read

    def events(self, *, on_applied: Callable[[ErpEvent, float], None]) -> EventApply | None:
        applier = NetSuiteEventApplier(
            record_url=f"{self.url}/record/v1",
            token=self.run.credentials.harness,
            exponent=minor_exponent(self.run.scenario.currency),
            on_applied=on_applied,
        )
        return applier.apply

    def collect_tables(self, run_dir: Path, clock: RunClock) -> dict[str, int]:
        return collect_tables(
            run_dir,
            suiteql_url=self.suiteql_url,
            token=self.run.credentials.harness,
            clock=clock,
            exponent=minor_exponent(self.run.scenario.currency),
        )
