"""Store registers completing sales and returns at the POS, with the simulator's realism.

Run it the Locust way against ``tillbench mock pos`` (web UI on :8089)::

    locust -f loadtests/pos_registers.py --host http://127.0.0.1:8101

or let ``tillbench load`` drive it headless. Each register sends one transaction per
request to the POS driver endpoint ``POST /driver/v1/transactions`` (admin token,
``TILLBENCH_ADMIN_TOKEN``); store apps read stock with ``POST
/v2/inventory/counts/batch-retrieve`` (API token ``TILLBENCH_POS_TOKEN``). Request names:
``pos:sale``, ``pos:return``, ``pos:cancel``, ``pos:post_void``, ``pos:counts``.
"""

from __future__ import annotations

from typing import ClassVar

from common import SETTINGS, record_accept, stream
from locust import FastHttpUser, constant_pacing, task

if SETTINGS.shape:
    from shapes import TillbenchShape

    __all__ = ["Register", "StoreStockApp", "TillbenchShape"]
else:
    __all__ = ["Register", "StoreStockApp"]


class Register(FastHttpUser):
    """A register: one completed transaction every pacing interval."""

    host = SETTINGS.pos_url
    weight = 9
    wait_time = constant_pacing(1.0 / SETTINGS.user_rate)
    headers: ClassVar[dict[str, str]] = {"Authorization": f"Bearer {SETTINGS.admin_token}"}

    @task
    def complete(self) -> None:
        body = stream().next()
        response = self.client.post(
            "/driver/v1/transactions",
            json={"transactions": [body.payload]},
            headers=self.headers,
            name=f"pos:{body.kind}",
        )
        if 200 <= (response.status_code or 0) < 300 and body.kind == "sale":
            record_accept(body.txn_id)


class StoreStockApp(FastHttpUser):
    """A store app asking the POS for the counts of the SKUs just sold."""

    host = SETTINGS.pos_url
    weight = 1
    wait_time = constant_pacing(1.0 / SETTINGS.user_rate)
    headers: ClassVar[dict[str, str]] = {"Authorization": f"Bearer {SETTINGS.pos_token}"}

    @task
    def counts(self) -> None:
        body = stream().next(("sale",))
        self.client.post(
            "/v2/inventory/counts/batch-retrieve",
            json={
                "catalog_object_ids": [line["sku"] for line in body.payload["lines"]],
                "location_ids": [body.payload["store_id"]],
            },
            headers=self.headers,
            name="pos:counts",
        )
