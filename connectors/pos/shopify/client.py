"""A Shopify Admin GraphQL client that paces itself by the calculated query cost.

Every answer carries ``extensions.cost.throttleStatus``; a THROTTLED answer is retried
after the time the bucket needs to hold the query's requested cost again
((requested − currentlyAvailable) / restoreRate), not after a guessed backoff. Other
GraphQL errors raise `ApiError` naming the first message.

Background work (the ERP → POS sync) asks with ``keep``: it waits, before sending, until
the bucket as last seen holds more than that share of its size, so a burst of cheap writes
(thousands of 10-point ``customerCreate``s) cannot keep the bucket near empty while an
order read of several hundred requested points waits for room it never finds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import Any

from connectors.core.errors import ApiError
from connectors.core.http import HttpApi, Stopping

API_VERSION = "2025-07"
MAX_THROTTLED = 50
"""THROTTLED answers in a row before giving up on one query."""


class ShopifyClient:
    """POSTs GraphQL documents to ``/admin/api/{version}/graphql.json``."""

    def __init__(
        self,
        api: HttpApi,
        token: str,
        *,
        version: str = API_VERSION,
        stop: threading.Event | None = None,
    ) -> None:
        self.api = api
        self.path = f"/admin/api/{version}/graphql.json"
        self.headers = {"X-Shopify-Access-Token": token}
        self.stop = stop or threading.Event()
        self.throttled = 0
        self._lock = threading.Lock()
        self._status: tuple[float, float, float, float] | None = None
        """The last throttleStatus seen: (currentlyAvailable, restoreRate,
        maximumAvailable, monotonic time)."""

    def query(
        self, document: str, variables: Mapping[str, Any] | None = None, *, keep: float = 0.0
    ) -> dict[str, Any]:
        """The ``data`` of one GraphQL request, waiting out THROTTLED answers; with
        ``keep`` (a share of the bucket, 0–1) first waiting until the bucket holds more."""
        body = {"query": document, "variables": dict(variables or {})}
        for _ in range(MAX_THROTTLED):
            if keep > 0 and self.stop.wait(self.room_wait(keep)):
                raise Stopping
            reply = self.api.call("POST", self.path, json=body, headers=self.headers)
            answer = reply.body if isinstance(reply.body, dict) else {}
            self._seen(answer)
            errors = answer.get("errors") or []
            if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
                self.throttled += 1
                if self.stop.wait(wait_for(answer)):
                    raise Stopping
                continue
            if errors:
                raise ApiError("POST", self.api.url(self.path), reply.status, str(errors)[:500])
            data: dict[str, Any] = answer.get("data") or {}
            return data
        raise ApiError("POST", self.api.url(self.path), 200, "THROTTLED too many times in a row")

    def _seen(self, answer: Mapping[str, Any]) -> None:
        status = ((answer.get("extensions") or {}).get("cost") or {}).get("throttleStatus")
        if not isinstance(status, Mapping):
            return
        try:
            seen = (
                float(status["currentlyAvailable"]),
                float(status["restoreRate"]),
                float(status["maximumAvailable"]),
                time.monotonic(),
            )
        except (KeyError, TypeError, ValueError):
            return
        with self._lock:
            self._status = seen

    def room_status(self) -> tuple[float, float, float, float]:
        """The last throttleStatus seen (currentlyAvailable, restoreRate, maximumAvailable,
        when); zeros before the first answer."""
        with self._lock:
            return self._status or (0.0, 0.0, 0.0, 0.0)

    def room_wait(self, keep: float) -> float:
        """Seconds until the bucket, as last seen and restoring since, holds more than
        ``keep`` of its size (0 when it does, or nothing was seen yet)."""
        with self._lock:
            status = self._status
        if status is None:
            return 0.0
        available, rate, maximum, stamp = status
        now = min(maximum, available + max(0.0, time.monotonic() - stamp) * rate)
        floor = keep * maximum
        if now >= floor or rate <= 0:
            return 0.0
        return (floor - now) / rate


def wait_for(answer: Mapping[str, Any]) -> float:
    """Seconds until the bucket holds the requested cost again (at least 50 ms)."""
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    requested = float(cost.get("requestedQueryCost") or 0)
    available = float(status.get("currentlyAvailable") or 0)
    rate = float(status.get("restoreRate") or 0)
    if rate <= 0:
        return 1.0
    return max(0.05, (requested - available) / rate)
