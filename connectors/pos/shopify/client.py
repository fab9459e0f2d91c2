"""A Shopify Admin GraphQL client that paces itself by the calculated query cost.

Every answer carries ``extensions.cost.throttleStatus``; a THROTTLED answer is retried
after the time the bucket needs to hold the query's requested cost again
((requested − currentlyAvailable) / restoreRate), not after a guessed backoff. Other
GraphQL errors raise `ApiError` naming the first message.
"""

from __future__ import annotations

import threading
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

    def query(self, document: str, variables: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The ``data`` of one GraphQL request, waiting out THROTTLED answers."""
        body = {"query": document, "variables": dict(variables or {})}
        for _ in range(MAX_THROTTLED):
            reply = self.api.call("POST", self.path, json=body, headers=self.headers)
            answer = reply.body if isinstance(reply.body, dict) else {}
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
