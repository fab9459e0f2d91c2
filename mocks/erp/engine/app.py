"""Build a mock ERP app from the engine and one dialect.

The engine part is the same for every ERP dialect: the tables, the group-commit hooks of
stock and master data, the capacity model (concurrency cap, queue, request window,
latency) as admission, the posting policy, the admin seed door (``/admin/erp/catalog``) and
the rendering of engine errors. The dialect (``ErpDialect``) brings its wire format: the
error body, the mapping of engine errors to statuses and codes, and an ``install`` hook
that adds its routers (and fast routes).

Example (``mocks/erp/bc/app.py``)::

    BC = ErpDialect(title="…", version="2.0", description="…",
                    render_error=render_odata_error, map_error=to_api_error,
                    install=_install_routes)

    def create_app(settings=None, *, now=time.time):
        return create_erp_app(parse_settings(settings), BC, now=now)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

from fastapi import Request
from starlette.responses import Response

from mocks.core import ApiError, ErrorRenderer, MockApp, MockContext, create_mock_app
from mocks.core import error_response as render_response
from mocks.erp.engine.admin import router as admin_router
from mocks.erp.engine.capacity import CapacityModel
from mocks.erp.engine.catalog import BatchPrefetch
from mocks.erp.engine.errors import ErpError
from mocks.erp.engine.model import Duplicates, Policy, Posting
from mocks.erp.engine.settings import ErpSettings
from mocks.erp.engine.stock import DeferredStock
from mocks.erp.engine.tables import erp_metadata

S = TypeVar("S", bound=ErpSettings)

_STATE_KEY = "erp"


@dataclass(frozen=True, slots=True)
class ErpState(Generic[S]):
    """Per-app state of a mock ERP: the dialect's settings and the engine's policy."""

    settings: S
    policy: Policy


@dataclass(frozen=True, slots=True, kw_only=True)
class ErpDialect:
    """What an ERP dialect hands ``create_erp_app``."""

    title: str
    """Title of the OpenAPI document."""
    version: str
    """The vendor API version the dialect speaks (OpenAPI ``info.version``)."""
    description: str
    render_error: ErrorRenderer
    """The JSON body of every error answer, in the vendor's format."""
    map_error: Callable[[ErpError], ApiError]
    """Status, code and field of an engine error (not found, conflict, stale version, …)."""
    install: Callable[[MockApp], None]
    """Add the dialect's routers and fast routes to the app."""


def create_erp_app(
    settings: ErpSettings, dialect: ErpDialect, *, now: Callable[[], float] = time.time
) -> MockApp:
    """A mock ERP app: the engine wired onto ``mocks.core``, then ``dialect.install``.

    ``app.state.mock.extra["erp"]`` holds the ``ErpState`` (see ``erp_state``); ``now`` is
    the wall clock the core's faults and journal read (tests pass a fake one)."""
    app = create_mock_app(
        target="erp",
        settings=settings,
        metadata=erp_metadata,
        render_error=dialect.render_error,
        title=dialect.title,
        version=dialect.version,
        description=dialect.description,
        now=now,
    )
    ctx: MockContext = app.state.mock
    ctx.committer.hooks += [DeferredStock(), BatchPrefetch()]
    if settings.capacity:
        ctx.admission = CapacityModel.share(settings, ctx, concurrency=settings.concurrency)
    ctx.extra[_STATE_KEY] = ErpState(
        settings=settings,
        policy=Policy(
            duplicates=Duplicates(settings.duplicates), posting=Posting(settings.posting)
        ),
    )

    async def on_erp_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ErpError)
        return render_response(dialect.map_error(exc), dialect.render_error)

    app.add_exception_handler(ErpError, on_erp_error)
    dialect.install(app)
    app.include_router(admin_router)
    return app


def erp_state(ctx: MockContext) -> ErpState[Any]:
    """The ``ErpState`` of the app owning ``ctx`` (dialects narrow its settings type)."""
    return cast(ErpState[Any], ctx.extra[_STATE_KEY])
