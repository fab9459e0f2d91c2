"""The harness's GraphQL calls to the Shopify mock (its own access token, its own cost
bucket), waiting out THROTTLED answers by ``throttleStatus``."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from tillbench.live.errors import HarnessError

__all__ = ["API_VERSION", "endpoint", "query", "query_async"]

API_VERSION = "2025-07"
_ATTEMPTS = 100


def endpoint(pos_url: str) -> str:
    """The GraphQL endpoint under ``pos_url``."""
    return f"{pos_url.rstrip('/')}/admin/api/{API_VERSION}/graphql.json"


def _wait(answer: dict[str, Any]) -> float | None:
    """Seconds to wait when THROTTLED, else None."""
    errors = answer.get("errors") or []
    if not any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
        return None
    cost = (answer.get("extensions") or {}).get("cost") or {}
    status = cost.get("throttleStatus") or {}
    rate = float(status.get("restoreRate") or 1)
    missing = float(cost.get("requestedQueryCost") or 0) - float(
        status.get("currentlyAvailable") or 0
    )
    return max(0.05, missing / rate)


def _data(answer: dict[str, Any], what: str) -> dict[str, Any]:
    if answer.get("errors"):
        raise HarnessError(f"{what}: the POS answered {str(answer['errors'])[:300]}")
    data: dict[str, Any] = answer.get("data") or {}
    return data


def query(
    client: httpx.Client, pos_url: str, token: str, document: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """``data`` of one GraphQL request (blocking)."""
    for _ in range(_ATTEMPTS):
        response = client.post(
            endpoint(pos_url),
            json={"query": document, "variables": variables},
            headers={"X-Shopify-Access-Token": token},
        )
        response.raise_for_status()
        answer = response.json()
        wait = _wait(answer)
        if wait is None:
            return _data(answer, "GraphQL")
        time.sleep(wait)
    raise HarnessError("GraphQL: THROTTLED too many times in a row")


async def query_async(
    client: httpx.AsyncClient, pos_url: str, token: str, document: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """``data`` of one GraphQL request (the sampler's event loop)."""
    for _ in range(_ATTEMPTS):
        response = await client.post(
            endpoint(pos_url),
            json={"query": document, "variables": variables},
            headers={"X-Shopify-Access-Token": token},
        )
        response.raise_for_status()
        answer = response.json()
        wait = _wait(answer)
        if wait is None:
            return _data(answer, "GraphQL")
        await asyncio.sleep(wait)
    raise HarnessError("GraphQL: THROTTLED too many times in a row")
