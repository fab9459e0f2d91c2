"""The sampler's reads of the Shopify mock through GraphQL with the harness's token:
``available`` quantities per location of every variant, and each variant's price. Pages
are sized under the 1,000-point single-query cap."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from tillbench.live.errors import HarnessError
from tillbench.live.targets.protocol import StockLevels
from tillbench.live.targets.shopify.graphql import query_async

__all__ = ["STOCK", "ShopifyReads", "minor"]

STOCK = """query Stock($after: String, $variants: Int!, $levels: Int!) {
  productVariants(first: $variants, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { sku inventoryItem { inventoryLevels(first: $levels) { nodes {
      location { id } quantities(names: ["available"]) { quantity } } } } }
  }
}"""
PAGE_COST = 500
"""Requested points per stock page: half the single-query cap, so a page never waits for
a full bucket."""


def stock_page(stores: int) -> dict[str, int]:
    """Variants per page and levels per variant for a page of about `PAGE_COST` points: a
    variant costs 4 + 3 per level (variant, item, level connection, each level with its
    location and quantities); one level more than the stores, for the shop's default
    location."""
    levels = max(1, min(stores + 1, 250))
    return {"variants": max(1, min(250, (PAGE_COST - 2) // (4 + 3 * levels))), "levels": levels}


PRICES = """query Prices($after: String) {
  productVariants(first: 250, after: $after) {
    pageInfo { hasNextPage endCursor }
    nodes { sku price }
  }
}"""


def minor(amount: object) -> int:
    """A decimal string ("9.72") in minor units."""
    return int(Decimal(str(amount or "0")).scaleb(2).to_integral_value())


class ShopifyReads:
    """Stock and prices of the Shopify mock at ``pos_url``."""

    def __init__(self, pos_url: str, *, token: str) -> None:
        self.pos_url = pos_url
        self.token = token

    async def _pages(
        self, client: httpx.AsyncClient, document: str, extra: dict[str, int] | None = None
    ) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        after = None
        while True:
            variables: dict[str, Any] = {"after": after, **(extra or {})}
            data = await query_async(client, self.pos_url, self.token, document, variables)
            page = data["productVariants"]
            nodes.extend(page["nodes"])
            if not page["pageInfo"]["hasNextPage"]:
                return nodes
            after = page["pageInfo"]["endCursor"]

    async def stock(self, client: httpx.AsyncClient, stores: list[str]) -> StockLevels | None:
        """Available units per (location, SKU); None when the POS cannot be read."""
        wanted = set(stores)
        try:
            nodes = await self._pages(client, STOCK, stock_page(len(wanted)))
        except (httpx.HTTPError, ValueError, KeyError, HarnessError):
            return None
        out: StockLevels = {}
        for node in nodes:
            sku = node.get("sku")
            if not sku:
                continue
            for level in node["inventoryItem"]["inventoryLevels"]["nodes"]:
                store = str(level["location"]["id"]).rsplit("/", 1)[-1]
                if store in wanted:
                    out[(store, sku)] = float(level["quantities"][0]["quantity"])
        return out

    async def prices(self, client: httpx.AsyncClient) -> dict[str, int] | None:
        """Each SKU's price (minor units); None when it cannot be read."""
        try:
            nodes = await self._pages(client, PRICES)
        except (httpx.HTTPError, ValueError, KeyError, HarnessError):
            return None
        return {str(n["sku"]): minor(n["price"]) for n in nodes if n.get("sku")}
