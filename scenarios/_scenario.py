"""The root of a scenario file: identity, simulated clock, and every section.

Checks that span sections live here; the fault timeline is checked in `scenarios._timeline`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
)

from ._base import Issue, Section, issues_error
from ._checkout import Basket, DataQuality, Payments, Returns, Voids
from ._duration import PositiveDuration, format_duration
from ._erp import Erp
from ._faults import Fault
from ._limits import (
    EARLIEST_START,
    LATEST_END,
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    MAX_NAME,
    MAX_SEED,
    MAX_SPEED,
)
from ._operations import Integration, Inventory
from ._override import override
from ._render import render
from ._slo import Slo
from ._store import Catalog, Chain
from ._timeline import place_faults, placement_error
from ._traffic import Traffic

__all__ = ["Scenario"]

_LOCALE = re.compile(r"[a-z]{2,3}(?:_[A-Z]{2})?")
_CURRENCY = re.compile(r"[A-Z]{3}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Control characters, and the Unicode ones that reorder or break a terminal line."""


class Scenario(Section):
    """A complete, validated scenario. Load one with `scenarios.load`.

    ``start`` is a naive local time in ``timezone`` and is the origin of the simulated
    clock; the run covers ``start`` to ``start + duration``.
    """

    name: str = Field(min_length=1, max_length=MAX_NAME)
    description: str = Field(default="", max_length=MAX_DESCRIPTION)
    """The question this scenario answers."""
    seed: int = Field(default=42, ge=0, le=MAX_SEED)
    """Seed of every random generator in a run: same seed, same run."""
    locale: str = "en_US"
    """Faker locale for names and addresses."""
    currency: str = "USD"
    """ISO 4217 code."""
    timezone: str = "America/New_York"
    """IANA zone of the stores."""
    start: datetime = datetime(2026, 11, 23)
    """Simulated clock origin: naive local time (2026-11-23 is a Monday)."""
    duration: PositiveDuration = timedelta(days=1)
    """Simulated time covered by the run."""
    speed: float = Field(default=60.0, gt=0.0, le=MAX_SPEED)
    """Live runs: simulated seconds per wall-clock second."""

    chain: Chain = Chain()
    catalog: Catalog = Catalog()
    traffic: Traffic = Traffic()
    basket: Basket = Basket()
    payments: Payments = Payments()
    returns: Returns = Returns()
    voids: Voids = Voids()
    inventory: Inventory = Inventory()
    integration: Integration = Integration()
    erp: Erp = Erp()
    faults: tuple[Fault, ...] = Field(default=(), max_length=MAX_ENTRIES)
    data_quality: DataQuality = DataQuality()
    slo: Slo = Slo()

    @field_validator("name")
    @classmethod
    def _printable_name(cls, name: str) -> str:
        if _CONTROL.search(name) is not None:
            raise issues_error(
                [Issue((), "must be printable text (no control characters)", render(name))]
            )
        return name

    @field_validator("locale")
    @classmethod
    def _locale_shape(cls, locale: str) -> str:
        if _LOCALE.fullmatch(locale) is None:
            raise issues_error([Issue((), "not a locale like en_US or de_DE", render(locale))])
        return locale

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, currency: str) -> str:
        if _CURRENCY.fullmatch(currency) is None:
            raise issues_error(
                [Issue((), "not an ISO 4217 code like USD or EUR", render(currency))]
            )
        return currency

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, timezone: str) -> str:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise issues_error(
                [Issue((), "not an IANA time zone like America/New_York", render(timezone))]
            ) from None
        return timezone

    @field_validator("start", mode="before")
    @classmethod
    def _midnight_of_a_date(cls, start: Any) -> Any:
        if isinstance(start, date) and not isinstance(start, datetime):
            return datetime.combine(start, datetime.min.time())
        return start

    @field_validator("start")
    @classmethod
    def _naive(cls, start: datetime) -> datetime:
        if not EARLIEST_START <= start.replace(tzinfo=None) < LATEST_END:
            raise issues_error(
                [
                    Issue(
                        (),
                        f"must be from {EARLIEST_START:%Y-%m-%d} to before "
                        f"{LATEST_END:%Y-%m-%d} (the calendar tillbench simulates)",
                        start.isoformat(),
                    )
                ]
            )
        if start.tzinfo is not None:
            raise issues_error(
                [
                    Issue(
                        (),
                        "must be a local time without offset (the timezone field sets the zone)",
                        start.isoformat(),
                    )
                ]
            )
        return start

    @field_validator("duration")
    @classmethod
    def _ends_in_the_calendar(cls, duration: timedelta, info: ValidationInfo) -> timedelta:
        start: datetime | None = info.data.get("start")
        if start is not None and start + duration > LATEST_END:
            raise issues_error(
                [
                    Issue(
                        (),
                        f"must end by {LATEST_END:%Y-%m-%d} (the calendar tillbench simulates), "
                        f"but start {start:%Y-%m-%d %H:%M} + duration ends later",
                        format_duration(duration),
                    )
                ]
            )
        return duration

    @field_validator("faults", mode="wrap")
    @classmethod
    def _place_faults(
        cls, value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> tuple[Fault, ...]:
        start, duration = info.data.get("start"), info.data.get("duration")
        chain: Chain | None = info.data.get("chain")
        stores = chain.stores if chain is not None else None
        try:
            faults: tuple[Fault, ...] = handler(value)
        except ValidationError as invalid:
            if start is None or duration is None:
                raise
            raise placement_error(
                value, invalid, start=start, duration=duration, stores=stores
            ) from None
        if start is None or duration is None:
            return faults
        placed, issues = place_faults(
            enumerate(faults), start=start, duration=duration, stores=stores
        )
        if issues:
            raise issues_error(issues)
        return tuple(placed)

    @property
    def end(self) -> datetime:
        """Local time at which the simulated period ends."""
        return self.start + self.duration

    @property
    def zone(self) -> ZoneInfo:
        """The stores' time zone."""
        return ZoneInfo(self.timezone)

    def with_overrides(self, **dotted: object) -> Scenario:
        """A re-validated copy with dotted paths changed, for parameter sweeps.

        Example::

            scenario.with_overrides(**{"erp.concurrency": 3, "integration.mode": "batch"})
        """
        return override(self, dotted)
