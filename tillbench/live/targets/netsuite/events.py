"""ERP-side events (`tillbench.live.erp_events`) made through NetSuite's record service with
the harness's credential: a price change PATCHes the item's ``basePrice``
(``…/inventoryItem/eid:{sku}``), a new item is an upsert by external id, a store delivery an
``inventoryAdjustment`` (upserted by an external id of its own, memo "Store delivery"). A
refused call (an ERP outage, 429 over the account's concurrency limit) is retried until
`GIVE_UP_S` wall seconds have passed."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from decimal import Decimal

import httpx

from tillbench.live.erp_events import ErpEvent

__all__ = ["GIVE_UP_S", "NetSuiteEventApplier"]

GIVE_UP_S = 120.0


class NetSuiteEventApplier:
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

    def _major(self, minor: int) -> float:
        return float(Decimal(minor).scaleb(-self.exponent))

    async def apply(self, event: ErpEvent, *, give_up_s: float = GIVE_UP_S) -> None:
        """Make the change; retry while the ERP refuses (5xx, 429, no connection)."""
        deadline = time.monotonic() + give_up_s
        delay = 0.25
        while True:
            try:
                await self._apply_once(event)
                if self.on_applied is not None:
                    self.on_applied(event, time.time())
                return
            except httpx.HTTPStatusError as exc:
                if exc.response.status_code < 500 and exc.response.status_code != 429:
                    raise
                if time.monotonic() + delay > deadline:
                    raise
            except httpx.TransportError:
                if time.monotonic() + delay > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

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
