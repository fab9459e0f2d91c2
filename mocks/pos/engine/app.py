"""Build a mock POS app from the engine and one dialect.

The engine part is the same for every POS dialect: the tables and the engine handle
(`PosStore`, with the merchant's default location), the driver's door (`/driver/v1`,
exempt from faults and journal), the POS admin routes (`/admin/pos`), and the background
loop that settles payments and refunds and delivers the webhook outbox. The dialect
(`PosDialect`) brings its wire format: routers, error body, validation errors, the
headers (signature) of a webhook delivery and, optionally, its rate limit as admission.

Example (`mocks/pos/square/app.py`)::

    SQUARE = PosDialect(title="…", version="2025-08-20", description="…",
                        routers=[locations.router, …], render_error=errors.render,
                        validation_error=errors.from_validation,
                        webhook_headers=signing.webhook_headers, admission=_rate_limit)

    def create_app(settings=None, *, now=time.time):
        return create_pos_app(load_settings(SquareSettings, settings), SQUARE, now=now)
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError

from mocks.core import Admission, ApiError, ErrorRenderer, MockApp, create_mock_app
from mocks.core import error_response as render_response
from mocks.pos.engine import admin
from mocks.pos.engine.background import Dispatcher, WebhookBody, WebhookHeaders
from mocks.pos.engine.driver import routes as driver_routes
from mocks.pos.engine.locations import ensure_default_location
from mocks.pos.engine.settings import PosSettings
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import metadata

RateFactor = Callable[[], float]
"""The fault engine's multiplier (≤ 1) on rate limits (`FaultEngine.rate_limit_factor`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class PosDialect:
    """What a POS dialect hands `create_pos_app`."""

    title: str
    """Title of the OpenAPI document."""
    version: str
    """The vendor API version the dialect speaks (OpenAPI `info.version`)."""
    description: str
    routers: Sequence[APIRouter]
    """The vendor API, one router per resource."""
    render_error: ErrorRenderer
    """The JSON body of every error answer, in the vendor's format."""
    webhook_headers: WebhookHeaders
    """Headers of one webhook delivery: the vendor's signature and headers."""
    validation_error: Callable[[RequestValidationError], ApiError] | None = None
    """A request that fails validation, as an error (None: `mocks.core`'s 400)."""
    admission: Callable[[PosSettings, RateFactor], Admission | None] | None = None
    """The vendor's rate limit for these settings (None: no limit)."""
    webhook_body: WebhookBody | None = None
    """The body of one delivery in the vendor's payload shape (None: the engine's event
    as stored, which is Square's shape)."""


def create_pos_app(
    settings: PosSettings, dialect: PosDialect, *, now: Callable[[], float] = time.time
) -> MockApp:
    """A mock POS app: the engine wired onto `mocks.core` under `dialect`.

    `app.state.pos_store` is the engine handle; `now` is the wall clock the core's faults
    and journal read (tests pass a fake one)."""
    app = create_mock_app(
        target="pos",
        settings=settings,
        metadata=metadata,
        render_error=dialect.render_error,
        title=dialect.title,
        version=dialect.version,
        description=dialect.description,
        exempt_paths=("/driver/",),
        now=now,
    )
    ctx = app.state.mock
    if dialect.admission is not None:
        ctx.admission = dialect.admission(settings, ctx.faults.rate_limit_factor)
    store = PosStore(db=ctx.db.engine, settings=settings)
    ensure_default_location(store)
    app.state.pos_store = store
    if dialect.validation_error is not None:
        to_error = dialect.validation_error

        async def on_validation(_request: Request, exc: Exception) -> Response:
            assert isinstance(exc, RequestValidationError)
            return render_response(to_error(exc), dialect.render_error)

        app.add_exception_handler(RequestValidationError, on_validation)
    for router in dialect.routers:
        app.include_router(router)
    app.include_router(driver_routes.router)
    app.include_router(admin.router)
    if settings.run_background:
        _add_background(app, store, dialect.webhook_headers, dialect.webhook_body)
    return app


def _add_background(
    app: FastAPI, store: PosStore, headers: WebhookHeaders, body: WebhookBody | None
) -> None:
    """Run the dispatcher beside the core lifespan (journal flusher)."""
    inner = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[Any]:
        dispatcher = Dispatcher(
            store,
            faults=app_.state.mock.faults,
            rng=random.Random(store.settings.seed),
            headers=headers,
            body=body,
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
