"""Build the Shopify-shaped mock POS: the POS engine (`create_pos_app`) under the Admin
GraphQL dialect, with the driver's ingestion door and the admin API the engine brings."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Mapping
from typing import Any

from mocks.core import MockApp, load_settings
from mocks.pos.engine import PosDialect, PosStore, create_pos_app
from mocks.pos.shopify import errors, graphql_api, webhooks
from mocks.pos.shopify.bucket import CostBucket
from mocks.pos.shopify.settings import ShopifySettings, get_settings

SHOPIFY = PosDialect(
    title="tillbench mock POS (Shopify Admin GraphQL dialect)",
    version="2025-07",
    description="Shopify Admin GraphQL API shaped POS, plus /driver/v1 ingestion for the "
    "simulator's driver and /admin for the harness.",
    routers=[graphql_api.router],
    render_error=errors.render,
    webhook_headers=webhooks.headers_for("tillbench.myshopify.com", "2025-07"),
    webhook_body=webhooks.body_renderer(lambda: None),
)


def create_app(
    settings: Mapping[str, Any] | ShopifySettings | None = None,
    *,
    now: Callable[[], float] = time.time,
    bucket_clock: Callable[[], float] = time.monotonic,
) -> MockApp:
    """The mock POS as an ASGI app (`settings` as a model, a plain dict, or the defaults);
    `now` is the wall clock of faults and journal, `bucket_clock` the clock the cost bucket
    restores by (tests pass fake ones)."""
    config = get_settings() if settings is None else load_settings(ShopifySettings, settings)
    engine: list[PosStore] = []
    dialect = dataclasses.replace(
        SHOPIFY,
        version=config.api_version,
        webhook_headers=webhooks.headers_for(config.shop_domain, config.api_version),
        webhook_body=webhooks.body_renderer(lambda: engine[0] if engine else None),
    )
    app = create_pos_app(config, dialect, now=now)
    engine.append(app.state.pos_store)
    size, rate = config.bucket()
    app.state.shopify_bucket = CostBucket(
        size=size, rate=rate, factor=app.state.mock.faults.rate_limit_factor, now=bucket_clock
    )
    return app
