"""The calculated-query-cost leaky bucket of Shopify's GraphQL Admin API.

One bucket per app and store (here: per access token's principal). A query is charged its
requested cost before it runs; when the bucket holds fewer points it is THROTTLED and
nothing runs. Afterwards the difference between requested and actual cost is given back.
Points restore continuously at the restore rate up to the bucket size (Shopify, "GraphQL
Admin API rate limits"). Active `rate_limit` faults multiply the restore rate by their
factor (≤ 1).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ThrottleStatus:
    """`extensions.cost.throttleStatus` of one answer."""

    maximum_available: float
    currently_available: float
    restore_rate: float

    def wire(self) -> dict[str, float]:
        """As Shopify sends it."""
        return {
            "maximumAvailable": self.maximum_available,
            "currentlyAvailable": self.currently_available,
            "restoreRate": self.restore_rate,
        }


class CostBucket:
    """Leaky buckets per principal; thread-safe, clock injectable."""

    def __init__(
        self,
        *,
        size: float,
        rate: float,
        factor: Callable[[], float] = lambda: 1.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.size = size
        self.rate = rate
        self.factor = factor
        self.now = now
        self._levels: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def _restore_rate(self) -> float:
        return self.rate * min(max(self.factor(), 0.0), 1.0)

    def _level(self, principal: str, now: float) -> float:
        points, stamp = self._levels.get(principal, (self.size, now))
        return min(self.size, points + max(0.0, now - stamp) * self._restore_rate())

    def charge(self, principal: str, cost: float) -> tuple[bool, ThrottleStatus]:
        """Take `cost` points if the bucket holds them; (admitted, status after)."""
        with self._lock:
            now = self.now()
            points = self._level(principal, now)
            admitted = cost <= points
            if admitted:
                points -= cost
            self._levels[principal] = (points, now)
            return admitted, self._status(points)

    def refund(self, principal: str, points: float) -> ThrottleStatus:
        """Give back `points` (requested minus actual cost) after a query ran."""
        with self._lock:
            now = self.now()
            level = min(self.size, self._level(principal, now) + max(points, 0.0))
            self._levels[principal] = (level, now)
            return self._status(level)

    def _status(self, points: float) -> ThrottleStatus:
        return ThrottleStatus(float(self.size), float(round(points, 3)), self._restore_rate())
