"""Create the one Square webhook subscription the connector receives events through."""

from __future__ import annotations

import uuid

import httpx

from tillbench.live.errors import HarnessError

__all__ = ["EVENT_TYPES", "create_subscription"]

EVENT_TYPES = (
    "order.created",
    "order.updated",
    "payment.updated",
    "refund.updated",
    "inventory.count.updated",
)
"""What the connector contract promises the connector receives."""


def create_subscription(pos_url: str, *, token: str, notification_url: str) -> str:
    """Subscribe ``notification_url`` to `EVENT_TYPES`; returns the signature key."""
    response = httpx.post(
        f"{pos_url}/v2/webhooks/subscriptions",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "idempotency_key": str(uuid.uuid4()),
            "subscription": {
                "name": "tillbench connector",
                "event_types": list(EVENT_TYPES),
                "notification_url": notification_url,
            },
        },
        timeout=10,
    )
    if response.status_code >= 300:
        raise HarnessError(
            f"creating the webhook subscription failed with {response.status_code}: "
            f"{response.text[:500]}"
        )
    key = response.json()["subscription"].get("signature_key")
    if not key:
        raise HarnessError("the POS returned a webhook subscription without a signature_key")
    return str(key)
