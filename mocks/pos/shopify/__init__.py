"""The Shopify Admin GraphQL dialect of the mock POS: the SDL and its resolvers over
`mocks.pos.engine`, the calculated query cost and its leaky bucket, Shopify error bodies,
signed webhooks with Shopify's topics and payloads, and the app factory.

Example::

    from mocks.pos.shopify import create_app

    app = create_app({"db_url": "sqlite:///run/pos.sqlite3", "api_tokens": {"shpat_x": "qa"}})
"""

from mocks.pos.shopify.app import SHOPIFY, create_app
from mocks.pos.shopify.bucket import CostBucket, ThrottleStatus
from mocks.pos.shopify.settings import PLANS, ShopifySettings, get_settings
from mocks.pos.shopify.webhooks import HMAC_HEADER, sign

__all__ = [
    "HMAC_HEADER",
    "PLANS",
    "SHOPIFY",
    "CostBucket",
    "ShopifySettings",
    "ThrottleStatus",
    "create_app",
    "get_settings",
    "sign",
]
