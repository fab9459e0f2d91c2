"""`ShopifyPos`: the mock POS speaking Shopify's Admin GraphQL API (``mocks/pos/shopify``).

The mock runs on the Shopify Plus plan's cost bucket (1,000 points/s restored): a chain
with many stores and registers is a Plus merchant, and on the Standard plan's 100
points/s one connector reading every order cannot keep up with a lunch rush. Webhooks are
signed with a fresh app secret per run.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from tillbench.live.targets.mock import MockPos
from tillbench.live.targets.protocol import PriceRead, StockRead, TargetOptions, TargetRun
from tillbench.live.targets.shopify.collect import collect_tables
from tillbench.live.targets.shopify.reads import ShopifyReads
from tillbench.live.targets.shopify.subscription import create_subscriptions

__all__ = ["ShopifyPos"]

PLAN = "plus"


class ShopifyPos(MockPos):
    """The mock Shopify POS; the harness reads it through GraphQL with its own token."""

    name = "shopify"

    def __init__(self, options: TargetOptions) -> None:
        super().__init__(options)
        self._reads: ShopifyReads | None = None
        self.app_secret = f"shpss_{secrets.token_hex(16)}"

    def _settings(self, run: TargetRun) -> dict[str, Any]:
        return {**super()._settings(run), "plan": PLAN, "app_secret": self.app_secret}

    @property
    def url(self) -> str:
        """The shop's base URL: ``/admin/api/{version}/graphql.json`` sits below it."""
        return self.base

    def connector_env(self) -> dict[str, str]:
        return {
            "TILLBENCH_POS_KIND": self.name,
            "TILLBENCH_POS_URL": self.url,
            "TILLBENCH_POS_TOKEN": self.run.credentials.connector,
        }

    def subscribe(self, notification_url: str) -> str:
        create_subscriptions(
            self.url, token=self.run.credentials.harness, notification_url=notification_url
        )
        return self.app_secret

    @property
    def reads(self) -> ShopifyReads:
        if self._reads is None:
            self._reads = ShopifyReads(self.url, token=self.run.credentials.harness)
        return self._reads

    def stock_read(self, stores: list[str]) -> StockRead:
        reads = self.reads
        chosen = list(stores)
        return lambda client: reads.stock(client, chosen)

    def price_read(self) -> PriceRead | None:
        return self.reads.prices

    def collect_tables(self, run_dir: Path, *, stores: list[str]) -> dict[str, int]:
        return collect_tables(
            run_dir, pos_url=self.url, token=self.run.credentials.harness, stores=stores
        )
