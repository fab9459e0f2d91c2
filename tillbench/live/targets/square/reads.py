"""The sampler's reads of a Square POS, through its public API with the harness's credential:
inventory counts (``/v2/inventory/counts/batch-retrieve``) and the catalogue's variations
(``/v2/catalog/list``), which map variation ids to SKUs and carry the prices the ERP → POS
price sync is followed by."""

from __future__ import annotations

from typing import Any

import httpx

from tillbench.live.targets.protocol import StockLevels

__all__ = ["SquareReads"]

_LOCATIONS_PER_CALL = 100


class SquareReads:
    """Stock and prices of the Square POS at ``pos_url``; remembers variation ids → SKUs."""

    def __init__(self, pos_url: str, *, token: str) -> None:
        self.pos_url = pos_url.rstrip("/")
        self.headers = {"Authorization": f"Bearer {token}"}
        self._variations: dict[str, str] = {}
        self._prices: dict[str, int] = {}

    async def stock(self, client: httpx.AsyncClient, stores: list[str]) -> StockLevels | None:
        """IN_STOCK units per (location, SKU); None when the POS cannot be read."""
        try:
            counts: list[dict[str, Any]] = []
            for start in range(0, len(stores), _LOCATIONS_PER_CALL):
                cursor = None
                while True:
                    body: dict[str, Any] = {
                        "location_ids": stores[start : start + _LOCATIONS_PER_CALL],
                        "states": ["IN_STOCK"],
                    }
                    if cursor:
                        body["cursor"] = cursor
                    response = await client.post(
                        f"{self.pos_url}/v2/inventory/counts/batch-retrieve",
                        json=body,
                        headers=self.headers,
                    )
                    response.raise_for_status()
                    page = response.json()
                    counts.extend(page.get("counts") or [])
                    cursor = page.get("cursor")
                    if not cursor:
                        break
            if any(c["catalog_object_id"] not in self._variations for c in counts):
                await self._load_variations(client)
        except (httpx.HTTPError, ValueError, KeyError):
            return None
        out: StockLevels = {}
        for count in counts:
            sku = self._variations.get(count["catalog_object_id"])
            if sku is not None:
                key = (count["location_id"], sku)
                out[key] = out.get(key, 0.0) + float(count["quantity"])
        return out

    async def prices(self, client: httpx.AsyncClient) -> dict[str, int] | None:
        """The catalogue's price per SKU (minor units) now; None when it cannot be read."""
        try:
            await self._load_variations(client)
        except (httpx.HTTPError, ValueError, KeyError):
            return None
        return dict(self._prices)

    async def _load_variations(self, client: httpx.AsyncClient) -> None:
        cursor = None
        while True:
            params = {"types": "ITEM_VARIATION", **({"cursor": cursor} if cursor else {})}
            response = await client.get(
                f"{self.pos_url}/v2/catalog/list", params=params, headers=self.headers
            )
            response.raise_for_status()
            page = response.json()
            for obj in page.get("objects") or []:
                data = obj.get("item_variation_data") or {}
                sku = data.get("sku")
                if sku:
                    self._variations[obj["id"]] = sku
                    price = (data.get("price_money") or {}).get("amount")
                    if isinstance(price, int):
                        self._prices[sku] = price
            cursor = page.get("cursor")
            if not cursor:
                return
