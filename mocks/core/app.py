"""Build a mock's FastAPI app with the shared machinery wired in.

Example::

    app = create_mock_app(
        target="erp", settings=settings, metadata=erp_metadata,
        render_error=render_odata_error, title="Mock Business Central",
    )
    app.include_router(items.router)
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import random
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import MetaData
from starlette.types import ASGIApp, Receive, Scope, Send

from mocks.core.admin import router as admin_router
from mocks.core.auth import TokenRegistry
from mocks.core.commit import Committer
from mocks.core.context import MockContext
from mocks.core.db import Database
from mocks.core.errors import ConfigError
from mocks.core.faultsync import FaultSync
from mocks.core.gateway import Admission, Gateway
from mocks.core.handlers import ErrorRenderer, install_error_handlers
from mocks.core.journal import Journal
from mocks.core.settings import CoreSettings
from mocks.core.tables import core_metadata
from mocks.faults import FaultEngine, FaultError

FastRoute = Callable[[Scope], ASGIApp | None]
"""A hot-path matcher: returns an ASGI handler for requests it serves itself, else None.

Fast routes run inside the gateway (faults, journal, body limit and admission apply) but
skip FastAPI's routing and dependency machinery; they raise ``ApiError`` for error answers.
Keep a regular route with the same contract for the OpenAPI document."""


class MockApp(FastAPI):
    """A FastAPI app whose outermost layer is the mock ``Gateway`` (it sees uvicorn's own
    ``send``, which it needs to reset connections)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.gateway: Gateway | None = None
        self.fast_routes: list[FastRoute] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.gateway is None:
            await super().__call__(scope, receive, send)
            return
        await self.gateway(scope, receive, send, self._dispatch)

    async def _dispatch(self, scope: Scope, receive: Receive, send: Send) -> None:
        for route in self.fast_routes:
            handler = route(scope)
            if handler is not None:
                await handler(scope, receive, send)
                return
        await super().__call__(scope, receive, send)


def create_mock_app(
    *,
    target: str,
    settings: CoreSettings,
    metadata: MetaData | None,
    render_error: ErrorRenderer,
    title: str,
    version: str = "1.0",
    description: str = "",
    admission: Admission | None = None,
    db: Database | None = None,
    exempt_paths: tuple[str, ...] = (),
    now: Callable[[], float] = time.time,
    **fastapi_options: Any,
) -> MockApp:
    """A ready app: tables created, journal, faults (timeline + runtime), admin router,
    error handlers; the dialect adds its routers. ``app.state.mock`` is the context.

    Paths starting with one of ``exempt_paths`` (e.g. ``"/driver/"``), like ``/admin`` and
    the docs, skip fault injection, admission and the journal (the body limit still holds).
    ``now`` is the wall clock (epoch seconds) the fault timeline and the journal read;
    tests pass a fake one to move time without sleeping.
    """
    database = db or Database(settings.db_url)
    database.create_all(*(m for m in (core_metadata, metadata) if m is not None))
    rng = random.Random(settings.seed)
    try:
        faults = FaultEngine(target=target, rng=rng, timeline=settings.faults, now=now)
    except FaultError as exc:
        raise ConfigError(exc.field, exc.value, exc.hint) from None
    fault_sync = FaultSync(database, faults, interval=settings.fault_sync_interval, now=now)
    fault_sync.init_clock(start=settings.start, speed=settings.speed)
    journal = Journal(database, flush_interval=settings.journal_flush_interval)
    ctx = MockContext(
        target=target,
        settings=settings,
        db=database,
        journal=journal,
        committer=Committer(database, hooks=[journal]),
        faults=faults,
        fault_sync=fault_sync,
        tokens=TokenRegistry(settings.api_tokens, admin_token=settings.admin_token),
        render_error=render_error,
        rng=rng,
        admission=admission,
        now=now,
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        gc.collect()
        gc.freeze()
        flusher = asyncio.create_task(_flush_periodically(ctx))
        try:
            yield
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            ctx.journal.flush()
            ctx.db.dispose()

    app = MockApp(
        title=title, version=version, description=description, lifespan=lifespan, **fastapi_options
    )
    app.state.mock = ctx
    app.gateway = Gateway(ctx, exempt=exempt_paths)
    install_error_handlers(app, render_error)
    app.include_router(admin_router)
    return app


async def _flush_periodically(ctx: MockContext) -> None:
    while True:
        await asyncio.sleep(ctx.settings.journal_flush_interval)
        if ctx.journal.due():
            ctx.journal.flush()
