"""ERP-side events (`tillbench.live.erp_events`) made through NetSuite's record service with
the harness's credential: a price change PATCHes the item's ``basePrice``
(``…/inventoryItem/eid:{sku}``), a new item is an upsert by external id, a store delivery an
``inventoryAdjustment`` (upserted by an external id of its own, memo "Store delivery"). A
refused call (an ERP outage, 429 over the account's concurrency limit) is retried until
`GIVE_UP_S` wall seconds have passed."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tillbench.live.erp_events import GIVE_UP_S, ErpEvent, EventApplier

__all__ = ["GIVE_UP_S", "NetSuiteEventApplier"]


class NetSuiteEventApplier(EventApplier):
    """Applies `ErpEvent`s through the record service under ``record_url``."""

    def __init__(
        self,
        *,
        record_url: str,
        token: str,
        exponent: int,
        on_applied: Callable[[ErpEvent, float], None] | None = None,
    ) -> None:
        self.record_url = record_url
        self.exponent = exponent
        self.on_applied = on_applied
        self._headers = {"Authorization": f"Bearer {token}"}

    async def _apply_once(self, event: ErpEvent) -> None:
        async with httpx.AsyncClient(headers=self._headers, timeout=30) as client:
            if event.kind == "price_change":
                response = await client.patch(
                    f"{self.record_url}/inventoryItem/eid:{event.sku}",
                    json={"basePrice": self._major(event.unit_price_minor or 0)},
                )
            elif event.kind == "new_item":
                response = await client.put(
                    f"{self.record_url}/inventoryItem/eid:{event.sku}",
                    json={
                        "displayName": event.name or event.sku,
                        "basePrice": self._major(event.unit_price_minor or 0),
                    },
                )
            else:
                ext = f"R-{event.store_id}-{event.sku}-{event.t:.0f}"[:35]
                response = await client.put(
                    f"{self.record_url}/inventoryAdjustment/eid:{ext}",
                    json={
                        "adjLocation": {"externalId": event.store_id},
                        "memo": "Store delivery",
                        "inventory": {
                            "items": [
                                {"item": {"externalId": event.sku}, "adjustQtyBy": event.quantity}
                            ]
                        },
                    },
                )
            response.raise_for_status()
