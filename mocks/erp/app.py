"""Build the mock ERP app (Business Central API v2.0 dialect).

Example::

    app = create_app({"db_url": "sqlite:///run/erp.sqlite", "concurrency": 5,
                      "window": {"requests": 6000, "per": "5m"}})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI

from mocks.core import Database, create_mock_app
from mocks.erp.capacity import CapacityModel
from mocks.erp.deps import ErpState
from mocks.erp.engine import Duplicates, Policy, erp_metadata
from mocks.erp.engine.catalog import BatchPrefetch
from mocks.erp.engine.stock import DeferredStock
from mocks.erp.errors import install_erp_error_handler, render_odata_error
from mocks.erp.fastpath import document_route
from mocks.erp.routes import batch, catalog, companies, documents, inventory, item_journals, master
from mocks.erp.settings import ErpSettings, parse_settings

DESCRIPTION = (
    "Mock of Microsoft Dynamics 365 Business Central's API v2.0 for integration tests: "
    "items with inventory, customers, locations, sales invoices and credit memos with lines, "
    "item journals, JSON $batch, ETags, OData paging and errors, and a capacity model "
    "(concurrency cap with queue, per-user request window, load-dependent latency). "
    "Admin API under /admin (admin token)."
)


def create_app(settings: ErpSettings | Mapping[str, Any] | None = None) -> FastAPI:
    """The mock ERP app; ``settings`` may be the scenario's ``erp`` section as a dict."""
    config = parse_settings(settings)
    db = Database(config.db_url)
    app = create_mock_app(
        target="erp",
        settings=config,
        metadata=erp_metadata,
        render_error=render_odata_error,
        title="tillbench mock ERP (Business Central API v2.0)",
        version="2.0",
        description=DESCRIPTION,
        db=db,
    )
    ctx = app.state.mock
    ctx.committer.hooks += [DeferredStock(), BatchPrefetch()]
    if config.capacity:
        share = config.workers
        ctx.admission = CapacityModel(
            concurrency=max(1, round(config.concurrency / share)),
            queue=round(config.queue / share),
            window_requests=max(1, round(config.window.requests / share)),
            window_seconds=config.window.seconds,
            latency=config.latency_model,
            load_factor=config.effective_load_factor,
            rng=ctx.rng,
            rate_factor=ctx.faults.rate_limit_factor,
        )
    ctx.extra["erp"] = ErpState(
        settings=config,
        policy=Policy(
            duplicates=Duplicates(config.duplicates), post_on_create=config.post_on_create
        ),
    )
    app.fast_routes.append(document_route(ctx))
    install_erp_error_handler(app)
    for router in (
        documents.invoices_router,
        documents.credit_memos_router,
        item_journals.router,
        companies.router,
        master.items_router,
        master.customers_router,
        master.locations_router,
        inventory.router,
        batch.router,
        catalog.router,
    ):
        app.include_router(router)
    return app
