"""Direct ERP posting (the connector bypassed) and store stock queries, to measure the ERP alone.

Run it the Locust way against ``tillbench mock erp`` (web UI on :8089)::

    locust -f loadtests/erp_direct.py --host http://127.0.0.1:8102

Invoices are the simulator's sales as Business Central ``salesInvoices`` deep inserts
(``POST /api/v2.0/companies({id})/salesInvoices``, API token ``TILLBENCH_ERP_TOKEN``, or
HTTP Basic with ``TILLBENCH_ERP_USER`` / ``TILLBENCH_ERP_PASSWORD``);
store apps read ``GET /api/tillbench/inventory/v1.0/companies({id})/locationInventories``.
Unless ``TILLBENCH_SEED_ERP=0``, the test start loads the scenario's catalogue, stores and
opening stock through the admin API (``TILLBENCH_ADMIN_TOKEN``) so the SKUs exist; a real
Business Central must already hold them. Request names: ``erp:salesInvoices``,
``erp:stock``.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

import httpx
from common import SETTINGS, erp_invoice, is_worker, preload_stream, stream
from locust import FastHttpUser, constant_pacing, events, task
from locust.env import Environment

if SETTINGS.shape:
    from shapes import TillbenchShape

    __all__ = ["ErpPosting", "StoreStockQuery", "TillbenchShape"]
else:
    __all__ = ["ErpPosting", "StoreStockQuery"]

API_ROOT = "/api/v2.0"


def _base(environment: Environment) -> str:
    return (environment.host or SETTINGS.erp_url).rstrip("/")


def _seed(environment: Environment, **_kwargs: Any) -> None:
    if is_worker(environment) or os.environ.get("TILLBENCH_SEED_ERP", "1") == "0":
        return
    import scenarios
    from simulator import build_world
    from tillbench.load.seed import erp_catalog

    scenario = scenarios.load(SETTINGS.scenario)
    world = build_world(scenario, seed=SETTINGS.seed)
    body = erp_catalog(world)
    response = httpx.post(
        f"{_base(environment)}/admin/erp/catalog",
        json=body,
        headers={"Authorization": f"Bearer {SETTINGS.admin_token}"},
        timeout=60,
    )
    response.raise_for_status()


events.test_start.add_listener(_seed)  # type: ignore[no-untyped-call]
preload_stream()


class _ErpUser(FastHttpUser):
    abstract = True
    host = SETTINGS.erp_url
    wait_time = constant_pacing(1.0 / SETTINGS.user_rate)
    headers: ClassVar[dict[str, str]] = {"Authorization": SETTINGS.erp_authorization()}
    company: str = ""

    def on_start(self) -> None:
        if SETTINGS.erp_company:
            self.company = SETTINGS.erp_company
            return
        with self.client.get(
            f"{API_ROOT}/companies", headers=self.headers, name="erp:companies", catch_response=True
        ) as response:
            companies = (response.json() or {}).get("value") or []
            if not companies:
                response.failure("the ERP lists no company; set TILLBENCH_ERP_COMPANY")
                return
            self.company = str(companies[0]["id"])


class ErpPosting(_ErpUser):
    """The connector's hot path without the connector: one sales invoice per interval."""

    weight = 9

    @task
    def post_invoice(self) -> None:
        body = stream().next(("sale",))
        self.client.post(
            f"{API_ROOT}/companies({self.company})/salesInvoices",
            json=erp_invoice(body.payload),
            headers=self.headers,
            name="erp:salesInvoices",
        )


class StoreStockQuery(_ErpUser):
    """A store app reading the ERP's stock of a SKU just sold in its store."""

    weight = 1

    @task
    def stock(self) -> None:
        payload = stream().next(("sale",)).payload
        self.client.get(
            f"/api/tillbench/inventory/v1.0/companies({self.company})/locationInventories",
            params={"locationCode": payload["store_id"], "itemNumber": payload["lines"][0]["sku"]},
            headers=self.headers,
            name="erp:stock",
        )
