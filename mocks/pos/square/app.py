"""Build the Square-shaped mock POS: the POS engine (`create_pos_app`) under the Square v2
dialect, with the driver's ingestion door and the admin API the engine brings."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

from mocks.core import Admission, MockApp, load_settings
from mocks.pos.engine import PosDialect, PosSettings, create_pos_app
from mocks.pos.engine.app import RateFactor
from mocks.pos.square import errors, signing
from mocks.pos.square.ratelimit import RateLimiter
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
from mocks.pos.square.settings import SquareSettings, get_settings

SQUARE_VERSION = "2025-08-20"


def _rate_limit(settings: PosSettings, factor: RateFactor) -> Admission | None:
    """Square's per-credential token bucket, when `rate_limit_per_second` is set."""
    assert isinstance(settings, SquareSettings)
    if settings.rate_limit_per_second is None:
        return None
    return RateLimiter(
        rate=settings.rate_limit_per_second, burst=settings.rate_limit_burst, factor=factor
    )


SQUARE = PosDialect(
    title="tillbench mock POS (Square v2 dialect)",
    version=SQUARE_VERSION,
    description="Square Connect v2 shaped POS API, plus /driver/v1 ingestion for the "
    "simulator's driver and /admin for the harness.",
    routers=[
        module.router
        for module in (
            locations,
            catalog,
            customers,
            orders,
            payments,
            refunds,
            inventory,
            webhooks,
        )
    ],
    render_error=errors.render,
    validation_error=errors.from_validation,
    webhook_headers=signing.webhook_headers,
    admission=_rate_limit,
)


def create_app(
    settings: Mapping[str, Any] | SquareSettings | None = None,
    *,
    now: Callable[[], float] = time.time,
) -> MockApp:
    """The mock POS as an ASGI app (`settings` as a model, a plain dict, or the defaults);
    `now` is the wall clock of faults and journal (tests pass a fake one)."""
    config = get_settings() if settings is None else load_settings(SquareSettings, settings)
    return create_pos_app(config, SQUARE, now=now)
