"""Settings of the Shopify dialect: the engine's `PosSettings` plus the Admin API version,
the plan's cost bucket, the single-query cost cap, the input-array cap and the app secret
that signs webhooks.

Plan presets follow Shopify's "GraphQL Admin API rate limits" page: restore rates of 100,
200, 1,000 and 2,000 points per second (Standard, Advanced, Plus, enterprise). The page does
not state the bucket size today; older versions of it said 1,000 points (and 2,000 on Plus),
so the presets use 10 × the restore rate with 1,000 as the floor and the figure is a
setting (``bucket_size``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field

from mocks.pos.engine.settings import PosSettings

Plan = Literal["standard", "advanced", "plus", "enterprise"]

PLANS: dict[str, tuple[float, float]] = {
    "standard": (1000.0, 100.0),
    "advanced": (2000.0, 200.0),
    "plus": (10000.0, 1000.0),
    "enterprise": (20000.0, 2000.0),
}
"""Plan → (bucket size in points, restore rate in points per second)."""


class ShopifySettings(PosSettings):
    """Everything the Shopify-shaped mock POS can be told at start-up."""

    api_version: str = Field("2025-07", pattern=r"^(\d{4}-\d{2}|unstable)$")
    """The Admin API version the mock answers as (any dated version path is accepted)."""
    shop_domain: str = "tillbench.myshopify.com"
    plan: Plan = "standard"
    bucket_size: float | None = Field(None, gt=0)
    """Points the bucket holds (`maximumAvailable`); None: the plan's preset."""
    restore_rate: float | None = Field(None, gt=0)
    """Points restored per second (`restoreRate`); None: the plan's preset."""
    max_query_cost: int = Field(1000, ge=1)
    """A single query may cost at most 1,000 points (MAX_COST_EXCEEDED)."""
    max_input_items: int = Field(250, ge=1)
    """Input arrays take at most 250 items (Shopify API limits page)."""
    max_page_size: int = Field(250, ge=1)
    """`first`/`last` take at most 250."""
    throttled_status: int = Field(200, ge=200, le=599)
    """HTTP status of a THROTTLED answer. Shopify's pages show the body only; clients
    report 200, so 200 is the default (429 is the stricter option)."""
    app_secret: str = "shpss_tillbench_app_secret"
    """The app's client secret: the key of every webhook's X-Shopify-Hmac-Sha256."""

    def bucket(self) -> tuple[float, float]:
        """(maximumAvailable, restoreRate) for these settings."""
        size, rate = PLANS[self.plan]
        return (self.bucket_size or size, self.restore_rate or rate)


@lru_cache
def get_settings() -> ShopifySettings:
    """The process-wide default settings (cached); tests pass their own."""
    return ShopifySettings()
