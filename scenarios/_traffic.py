"""How many customers come, and when: the ``traffic`` section."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, field_validator

from ._base import Issue, Section, issues_error, shares_issue
from ._clock import TimeOfDay
from ._limits import MAX_CUSTOMERS_PER_STORE_DAY, MAX_ENTRIES, MAX_MULTIPLIER, MAX_WEIGHT
from ._profiles import WEEKDAY_SHARES, Profile

__all__ = ["Event", "Traffic"]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class Event(Section):
    """A day with unusual traffic (a holiday, Black Friday)."""

    name: str = Field(min_length=1)
    date: date
    multiplier: float = Field(gt=0.0, le=MAX_MULTIPLIER)
    """Traffic on that day relative to an ordinary day of the same weekday."""
    peak: TimeOfDay | None = None
    """Start of the day's busiest hour, when it differs from the usual profile."""


def _check_weights(weights: tuple[float, ...], *, count: int, unit: str) -> None:
    if len(weights) != count:
        raise issues_error(
            [Issue((), f"must have exactly {count} values, one per {unit}", f"{len(weights)}")]
        )
    negative = [
        Issue((index,), "must be ≥ 0", f"{w:g}") for index, w in enumerate(weights) if w < 0
    ]
    if negative:
        raise issues_error(negative)


class Traffic(Section):
    """Customer arrivals per store: level, daily shape, weekly shape, special days.

    The simulator draws ``customers_per_store_day × 7 × weekday[d] × multiplier`` customers
    per store of size 1.0 on weekday ``d`` (× the event multiplier on an event's date),
    spread over the hours by `profile_weights`.
    """

    # REFERENCE (Retail traffic): about 2,200 transactions per US supermarket per day (derived).
    customers_per_store_day: float = Field(default=2200.0, ge=0.0, le=MAX_CUSTOMERS_PER_STORE_DAY)
    profile: Profile = "grocery"
    """Named hourly shape: grocery, boutique, convenience or flat."""
    hourly: tuple[Annotated[float, Field(le=MAX_WEIGHT)], ...] | None = None
    """24 relative weights (00:00 first) replacing the profile's."""
    # REFERENCE (Retail traffic, day of week): Sat 17%, Sun 16%, Thu 12% lowest.
    weekday: tuple[float, ...] = WEEKDAY_SHARES
    """Share of a week's customers on each day, Monday first; sums to 1."""
    multiplier: float = Field(default=1.0, gt=0.0, le=MAX_MULTIPLIER)
    """Scales all traffic (2.0 = twice the customers)."""
    events: tuple[Event, ...] = Field(default=(), max_length=MAX_ENTRIES)

    @field_validator("hourly")
    @classmethod
    def _24_weights(cls, hourly: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if hourly is None:
            return None
        _check_weights(hourly, count=24, unit="hour")
        if sum(hourly) <= 0:
            raise issues_error([Issue((), "needs at least one hour with weight > 0", "all 0")])
        return hourly

    @field_validator("weekday")
    @classmethod
    def _7_shares(cls, weekday: tuple[float, ...]) -> tuple[float, ...]:
        _check_weights(weekday, count=7, unit="day from Monday")
        issue = shares_issue(dict(zip(_WEEKDAYS, weekday, strict=True)))
        if issue is not None:
            raise issues_error([issue])
        return weekday

    def event_on(self, day: date) -> Event | None:
        """The event on ``day``, if any."""
        return next((event for event in self.events if event.date == day), None)
