"""ERP-side events (`tillbench.live.erp_events`) made through Business Central's API with
the harness's credential: PATCH ``items`` (with ``If-Match``) for a price change, POST
``items`` for a new item, and item journal lines (``Positive Adjmt.``) of a ``RECEIPTS``
journal for a store delivery. A refused call (an ERP outage, 429) is retried until
`GIVE_UP_S` wall seconds have passed."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from tillbench.live.erp_events import GIVE_UP_S, ErpEvent, EventApplier

__all__ = ["GIVE_UP_S", "RECEIPT_JOURNAL", "BcEventApplier"]

RECEIPT_JOURNAL = "RECEIPTS"


class BcEventApplier(EventApplier):
    """Applies `ErpEvent`s through the Business Central API of ``company_url``."""

    def __init__(
        self,
        *,
        company_url: str,
        token: str,
        exponent: int,
        on_applied: Callable[[ErpEvent, float], None] | None = None,
    ) -> None:
        self.on_applied = on_applied
        self.company_url = company_url
        self.exponent = exponent
        self._headers = {"Authorization": f"Bearer {token}"}
        self._journal_id: str | None = None

    async def _apply_once(self, event: ErpEvent) -> None:
        async with httpx.AsyncClient(headers=self._headers, timeout=30) as client:
            if event.kind == "price_change":
                await self._price(client, event)
            elif event.kind == "new_item":
                response = await client.post(
                    f"{self.company_url}/items",
                    json={
                        "number": event.sku,
                        "displayName": event.name or event.sku,
                        "unitPrice": self._major(event.unit_price_minor or 0),
                    },
                )
                if response.status_code != 409:  # 409: an earlier try got through
                    response.raise_for_status()
            else:
                await self._receipt(client, event)

    async def _price(self, client: httpx.AsyncClient, event: ErpEvent) -> None:
        found = await client.get(
            f"{self.company_url}/items", params={"$filter": f"number eq '{event.sku}'"}
        )
        found.raise_for_status()
        item = found.json()["value"][0]
        response = await client.patch(
            f"{self.company_url}/items({item['id']})",
            json={"unitPrice": self._major(event.unit_price_minor or 0)},
            headers={"If-Match": item["@odata.etag"]},
        )
        response.raise_for_status()

    async def _receipt(self, client: httpx.AsyncClient, event: ErpEvent) -> None:
        if self._journal_id is None:
            created = await client.post(
                f"{self.company_url}/itemJournals",
                json={"code": RECEIPT_JOURNAL, "displayName": "Store deliveries"},
            )
            if created.status_code == 201:
                self._journal_id = created.json()["id"]
            else:
                listing = await client.get(f"{self.company_url}/itemJournals")
                listing.raise_for_status()
                self._journal_id = next(
                    j["id"] for j in listing.json()["value"] if j["code"] == RECEIPT_JOURNAL
                )
        response = await client.post(
            f"{self.company_url}/itemJournals({self._journal_id})/journalLines",
            json={
                "itemNumber": event.sku,
                "locationCode": event.store_id,
                "entryType": "Positive Adjmt.",
                "quantity": event.quantity,
                "externalDocumentNumber": f"R-{event.store_id}-{event.sku}-{event.t:.0f}"[:35],
                "description": "Store delivery",
            },
        )
        response.raise_for_status()
