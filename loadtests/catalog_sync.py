"""ERP → POS catalogue and price sync: the POS side of what a connector does per changed item.

Run it the Locust way against ``tillbench mock pos``::

    locust -f loadtests/catalog_sync.py --host http://127.0.0.1:8101

Each sync finds the item variation by SKU (``POST /v2/catalog/search``), reads its item
(``GET /v2/catalog/object/{id}``) and writes it back with a new price (``POST
/v2/catalog/batch-upsert``); an SKU the POS does not know yet is created (``#temp`` ids).
A ``VERSION_MISMATCH`` (another sync of the same item won the race) is what a connector
retries: the item is read again and written with its current version (up to
`CONFLICT_RETRIES` times); the conflicted write is not counted as a failure.
SKUs and prices come from the scenario's catalogue (`simulator.build_world`), price changes
from a random generator seeded by ``TILLBENCH_SEED``. API token ``TILLBENCH_POS_TOKEN``.
Request names: ``pos:catalog-search``, ``pos:catalog-object``, ``pos:catalog-upsert``.
"""

from __future__ import annotations

import itertools
import random
import uuid
from typing import Any, ClassVar

from common import SETTINGS
from locust import FastHttpUser, constant_pacing, task

if SETTINGS.shape:
    from shapes import TillbenchShape

    __all__ = ["PriceSync", "TillbenchShape"]
else:
    __all__ = ["PriceSync"]

CONFLICT_RETRIES = 2
"""Re-reads after a version conflict (another sync of the same item won the race)."""
_CATALOG: list[tuple[str, str, int]] = []
_USERS = itertools.count()


def _catalog() -> list[tuple[str, str, int]]:
    if not _CATALOG:
        import scenarios
        from simulator import build_world

        cat = build_world(scenarios.load(SETTINGS.scenario), seed=SETTINGS.seed).catalog
        _CATALOG.extend(
            zip(cat.sku_ids, cat.names, [int(p) for p in cat.price_minor.tolist()], strict=True)
        )
    return _CATALOG


_catalog()  # while the file is imported, not inside the run's time limit


def _conflict(body: dict[str, Any]) -> bool:
    return any(e.get("code") == "VERSION_MISMATCH" for e in body.get("errors") or [])


def _new_item(sku: str, name: str, price: int, currency: str) -> dict[str, Any]:
    item_id = f"#item-{sku}"
    return {
        "type": "ITEM",
        "id": item_id,
        "item_data": {
            "name": name[:255],
            "variations": [
                {
                    "type": "ITEM_VARIATION",
                    "id": f"#var-{sku}",
                    "item_variation_data": {
                        "item_id": item_id,
                        "name": "Regular",
                        "sku": sku,
                        "pricing_type": "FIXED_PRICING",
                        "price_money": {"amount": price, "currency": currency},
                    },
                }
            ],
        },
    }


def _repriced(item: dict[str, Any], sku: str, price: int, currency: str) -> dict[str, Any]:
    variations = []
    for variation in (item.get("item_data") or {}).get("variations") or []:
        data = dict(variation.get("item_variation_data") or {})
        if data.get("sku") == sku:
            data["pricing_type"] = "FIXED_PRICING"
            data["price_money"] = {"amount": price, "currency": currency}
        variations.append({**variation, "item_variation_data": data})
    return {**item, "item_data": {**item["item_data"], "variations": variations}}


class PriceSync(FastHttpUser):
    """One item's price carried from the ERP to the POS per pacing interval."""

    host = SETTINGS.pos_url
    wait_time = constant_pacing(1.0 / SETTINGS.user_rate)
    headers: ClassVar[dict[str, str]] = {"Authorization": f"Bearer {SETTINGS.pos_token}"}
    currency = "USD"

    def on_start(self) -> None:
        self.rng = random.Random(f"{SETTINGS.seed}:{next(_USERS)}")

    def _read(self, item_id: str, sku: str, price: int) -> dict[str, Any] | None:
        item = self.client.get(
            f"/v2/catalog/object/{item_id}", headers=self.headers, name="pos:catalog-object"
        )
        if item.status_code != 200:
            return None
        return _repriced(item.json()["object"], sku, price, self.currency)

    def _upsert(self, body: dict[str, Any]) -> bool:
        """Write ``body``; False on a version conflict (marked a success: the sync retries)."""
        with self.client.post(
            "/v2/catalog/batch-upsert",
            json={"idempotency_key": str(uuid.uuid4()), "batches": [{"objects": [body]}]},
            headers=self.headers,
            name="pos:catalog-upsert",
            catch_response=True,
        ) as response:
            if response.status_code == 400 and _conflict(response.json() or {}):
                response.success()
                return False
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:200]}")
            return True

    @task
    def sync_price(self) -> None:
        sku, name, price = self.rng.choice(_catalog())
        new_price = max(1, round(price * self.rng.uniform(0.8, 1.2)))
        found = self.client.post(
            "/v2/catalog/search",
            json={
                "object_types": ["ITEM_VARIATION"],
                "query": {"exact_query": {"attribute_name": "sku", "attribute_value": sku}},
            },
            headers=self.headers,
            name="pos:catalog-search",
        )
        objects = (found.json() or {}).get("objects") or [] if found.status_code == 200 else []
        if not objects:
            self._upsert(_new_item(sku, name, new_price, self.currency))
            return
        item_id = str((objects[0].get("item_variation_data") or {}).get("item_id"))
        for _ in range(CONFLICT_RETRIES + 1):
            body = self._read(item_id, sku, new_price)
            if body is None or self._upsert(body):
                return
