"""Build the Business Central mock: the ERP engine (``create_erp_app``) under the Business
Central API v2.0 dialect.

Example::

    app = create_app({"db_url": "sqlite:///run/erp.sqlite", "concurrency": 5,
                      "window": {"requests": 6000, "per": "5m"}})
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from mocks.core import MockApp
from mocks.erp.bc.deps import bc_state
from mocks.erp.bc.errors import render_odata_error, to_api_error
from mocks.erp.bc.fastpath import document_route
from mocks.erp.bc.routes import (
    batch,
    companies,
    documents,
    inventory,
    item_journals,
    master,
    service,
)
from mocks.erp.bc.settings import BcSettings, parse_settings
from mocks.erp.engine import ErpDialect, create_erp_app

DESCRIPTION = (
    "Mock of Microsoft Dynamics 365 Business Central's API v2.0 for integration tests: "
    "items with inventory, customers, locations, sales invoices and credit memos with lines "
    "(drafts posted by Microsoft.NAV.post), item journals, $batch (JSON and multipart), "
    "$metadata, ETags, OData query options, paging and errors, and a capacity model "
    "(concurrency cap with queue, per-user request window, load-dependent latency). "
    "Admin API under /admin (admin token)."
)


def _install(app: MockApp) -> None:
    """The dialect's routes: the document fast path and the company sets addressed without
    ``companies({id})`` first, then the routers."""
    app.fast_routes.append(document_route(app.state.mock))
    app.fast_routes.append(service.company_route(app, bc_state(app.state.mock)))
    for router in (
        service.router,
        documents.invoices_router,
        documents.credit_memos_router,
        item_journals.router,
        companies.router,
        master.items_router,
        master.customers_router,
        master.locations_router,
        inventory.router,
        batch.router,
    ):
        app.include_router(router)


BUSINESS_CENTRAL = ErpDialect(
    title="tillbench mock ERP (Business Central API v2.0)",
    version="2.0",
    description=DESCRIPTION,
    render_error=render_odata_error,
    map_error=to_api_error,
    install=_install,
)


def create_app(
    settings: BcSettings | Mapping[str, Any] | None = None,
    *,
    now: Callable[[], float] = time.time,
) -> MockApp:
    """The Business Central mock; ``settings`` may be the scenario's ``erp`` section as a
    dict. ``now`` is the wall clock of faults and journal (tests pass a fake one)."""
    return create_erp_app(parse_settings(settings), BUSINESS_CENTRAL, now=now)
