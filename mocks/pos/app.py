"""Build the mock POS app: Square v2 dialect + driver ingestion on the shared mock core."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator, Mapping
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError

from mocks.core import create_mock_app, error_response, load_settings
from mocks.pos import admin
from mocks.pos.background import Dispatcher
from mocks.pos.driver import routes as driver_routes
from mocks.pos.engine.locations import ensure_default_location
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import metadata
from mocks.pos.ratelimit import RateLimiter
from mocks.pos.settings import PosSettings, get_settings
from mocks.pos.square import errors
from mocks.pos.square.routes import (
    catalog,
    customers,
    inventory,
    locations,
    orders,
    payments,
    refunds,
    webhooks,
)

SQUARE_VERSION = "2025-08-20"


def create_app(settings: Mapping[str, Any] | PosSettings | None = None) -> FastAPI:
    """The mock POS as an ASGI app (`settings` as a model, a plain dict, or the defaults)."""
    config = get_settings() if settings is None else load_settings(PosSettings, settings)
    limiter = None
    app_holder: dict[str, Any] = {}
    if config.rate_limit_per_second is not None:
        limiter = RateLimiter(
            rate=config.rate_limit_per_second,
            burst=config.rate_limit_burst,
            factor=lambda: app_holder["app"].state.mock.faults.rate_limit_factor(),
        )
    app = create_mock_app(
        target="pos",
        settings=config,
        metadata=metadata,
        render_error=errors.render,
        title="tillbench mock POS (Square v2 dialect)",
        version=SQUARE_VERSION,
        description="Square Connect v2 shaped POS API, plus /driver/v1 ingestion for the "
        "simulator's driver and /admin for the harness.",
        admission=limiter,
        exempt_paths=("/driver/",),
    )
    app_holder["app"] = app
    store = PosStore(db=app.state.mock.db.engine, settings=config)
    ensure_default_location(store)
    app.state.pos_store = store

    async def on_validation(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return error_response(errors.from_validation(exc), errors.render)

    app.add_exception_handler(RequestValidationError, on_validation)
    for module in (locations, catalog, customers, orders, payments, refunds, inventory, webhooks):
        app.include_router(module.router)
    app.include_router(driver_routes.router)
    app.include_router(admin.router)
    if config.run_background:
        _add_background(app, store)
    return app


def _add_background(app: FastAPI, store: PosStore) -> None:
    """Run the dispatcher beside the core lifespan (journal flusher)."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        dispatcher = Dispatcher(
            store,
            faults=app_.state.mock.faults,
            rng=random.Random(store.settings.seed),
        )
        app_.state.dispatcher = dispatcher
        async with inner(app_) as state:
            task = asyncio.create_task(dispatcher.run())
            try:
                yield state
            finally:
                dispatcher.stop()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app.router.lifespan_context = lifespan
