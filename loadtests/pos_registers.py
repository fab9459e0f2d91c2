"""Store registers completing sales and returns at the POS, with the simulator's realism.

Run it the Locust way against ``tillbench mock pos`` (web UI on :8089)::

    locust -f loadtests/pos_registers.py --host http://127.0.0.1:8101

or let ``tillbench load`` drive it headless. Each register sends one transaction per
request to the POS driver endpoint ``POST /driver/v1/transactions`` (admin token,
``TILLBENCH_ADMIN_TOKEN``); store apps read stock with ``POST
/v2/inventory/counts/batch-retrieve`` (API token ``TILLBENCH_POS_TOKEN``) by the catalogue's
item variation ids, which each Locust process lists from ``GET /v2/catalog/list`` when its
first store app starts (again every `RELIST_S` while the list is empty or misses a SKU); an
answer without counts is a failure (ids the POS does not know).
Request names: ``pos:sale``, ``pos:return``, ``pos:cancel``, ``pos:post_void``,
``pos:counts``, ``pos:catalog-list``.
"""

from __future__ import annotations

import time
from typing import ClassVar

from common import SETTINGS, preload_stream, record_accept, stream
from locust import FastHttpUser, constant_pacing, task

if SETTINGS.shape:
    from shapes import TillbenchShape

    __all__ = ["Register", "StoreStockApp", "TillbenchShape"]
else:
    __all__ = ["Register", "StoreStockApp"]

preload_stream()

RELIST_S = 30.0
"""Least wall seconds between two listings of the POS catalogue in one process."""
_VARIATIONS: dict[str, str] = {}
"""SKU → the POS catalogue's item variation id."""
_LISTED = [float("-inf")]


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
        if 200 <= (response.status_code or 0) < 300:
            record_accept(body)


class StoreStockApp(FastHttpUser):
    """A store app asking the POS for the counts of the SKUs just sold (by variation id)."""

    host = SETTINGS.pos_url
    weight = 1
    wait_time = constant_pacing(1.0 / SETTINGS.user_rate)
    headers: ClassVar[dict[str, str]] = {"Authorization": f"Bearer {SETTINGS.pos_token}"}

    def on_start(self) -> None:
        self._list_variations()

    def _list_variations(self) -> None:
        if time.monotonic() - _LISTED[0] < RELIST_S:
            return
        _LISTED[0] = time.monotonic()
        cursor = ""
        while True:
            params = {"types": "ITEM_VARIATION", **({"cursor": cursor} if cursor else {})}
            response = self.client.get(
                "/v2/catalog/list", params=params, headers=self.headers, name="pos:catalog-list"
            )
            if response.status_code != 200:
                return
            page = response.json() or {}
            for obj in page.get("objects") or []:
                sku = (obj.get("item_variation_data") or {}).get("sku")
                if sku:
                    _VARIATIONS[sku] = obj["id"]
            cursor = page.get("cursor") or ""
            if not cursor:
                return

    @task
    def counts(self) -> None:
        body = stream().next(("sale",))
        skus = [line["sku"] for line in body.payload["lines"]]
        if any(sku not in _VARIATIONS for sku in skus):
            self._list_variations()
        ids = sorted({_VARIATIONS[sku] for sku in skus if sku in _VARIATIONS})
        if not ids:
            return
        with self.client.post(
            "/v2/inventory/counts/batch-retrieve",
            json={"catalog_object_ids": ids, "location_ids": [body.payload["store_id"]]},
            headers=self.headers,
            name="pos:counts",
            catch_response=True,
        ) as response:
            if response.status_code == 200 and not (response.json() or {}).get("counts"):
                response.failure(f"no counts for {len(ids)} catalogue object ids")
