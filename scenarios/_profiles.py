"""Shapes of demand over the day and over the week.

Hourly profiles are 24 relative weights, index 0 being the hour 00:00–01:00; the simulator
normalises them with `profile_weights` and masks the hours a store is closed
(``chain.hours``). Weekday shares are fractions of a week's transactions, Monday first,
summing to 1: the simulator draws ``customers_per_store_day × 7 × share`` customers on that
day, so the average day still sees ``customers_per_store_day``.
"""

from __future__ import annotations

import math
from typing import Literal, Protocol

__all__ = ["HOURLY_PROFILES", "WEEKDAY_SHARES", "Profile", "profile_weights"]

Profile = Literal["grocery", "boutique", "convenience", "flat"]


def _hours(table: str) -> tuple[float, ...]:
    return tuple(float(cell) for cell in table.split())


HOURLY_PROFILES: dict[str, tuple[float, ...]] = {
    # REFERENCE (Retail traffic, hour of day): weekday peaks 11:00–13:00, around
    # 15:00–16:00 and after work 17:00–19:00.
    "grocery": _hours("""
        0.2  0.1  0.1  0.1  0.2  0.5
        1.5  3.0  4.5  5.5  6.5  8.0
        8.5  7.5  6.5  7.5  7.0  8.0
        8.5  7.0  5.0  3.5  2.0  0.8
    """),
    # Fashion stores: quiet mornings, busiest mid-afternoon (weekend weight comes from
    # the scenario's weekday shares).
    "boutique": _hours("""
        0.0  0.0  0.0  0.0  0.0  0.0
        0.0  0.0  0.5  1.0  2.0  3.0
        4.5  5.5  7.0  8.0  8.5  8.0
        6.5  4.5  2.5  1.0  0.0  0.0
    """),
    # Convenience stores: commuter peaks in the morning (07–09) and evening (17–19).
    "convenience": _hours("""
        0.5  0.3  0.2  0.2  0.4  1.5
        4.0  7.5  8.0  5.0  4.0  4.5
        5.5  4.5  3.5  4.0  5.5  7.5
        8.0  6.5  4.5  3.0  2.0  1.0
    """),
    "flat": (1.0,) * 24,
}
"""Relative hourly weights by profile name (not normalised)."""

# REFERENCE (Retail traffic, day of week, 2.5 M grocery receipts): Saturday 17%, Sunday 16%,
# Thursday 12% (lowest); weekend ≈ 1.23× a weekday. Mon–Wed and Fri share the rest (derived).
WEEKDAY_SHARES: tuple[float, ...] = (0.13, 0.13, 0.13, 0.12, 0.16, 0.17, 0.16)
"""Share of a week's transactions on each day, Monday first; sums to 1."""


class _Shaped(Protocol):
    @property
    def profile(self) -> str: ...

    @property
    def hourly(self) -> tuple[float, ...] | None: ...


def profile_weights(traffic: _Shaped) -> tuple[float, ...]:
    """The 24 hourly weights of ``traffic`` (its ``hourly`` list, else its profile), summing to 1.

    Example::

        weights = profile_weights(scenario.traffic)
        customers_at_noon = day_total * weights[12]
    """
    raw = traffic.hourly if traffic.hourly is not None else HOURLY_PROFILES[traffic.profile]
    total = math.fsum(raw)
    return tuple(weight / total for weight in raw)
