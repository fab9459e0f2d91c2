"""Create the webhook subscriptions the connector receives Shopify events through."""

from __future__ import annotations

import httpx

from tillbench.live.errors import HarnessError
from tillbench.live.targets.shopify.graphql import query

__all__ = ["TOPICS", "create_subscriptions"]

TOPICS = ("ORDERS_CREATE", "ORDERS_UPDATED", "REFUNDS_CREATE")
"""What the connector needs to hear of: orders and the refunds made on them."""

CREATE = """mutation Subscribe($topic: WebhookSubscriptionTopic!, $url: URL!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {callbackUrl: $url, format: JSON}) {
    webhookSubscription { id }
    userErrors { field message }
  }
}"""


def create_subscriptions(pos_url: str, *, token: str, notification_url: str) -> None:
    """Subscribe ``notification_url`` to every topic of `TOPICS`."""
    with httpx.Client(timeout=10) as client:
        for topic in TOPICS:
            data = query(client, pos_url, token, CREATE, {"topic": topic, "url": notification_url})
            errors = data["webhookSubscriptionCreate"]["userErrors"]
            if errors:
                raise HarnessError(f"subscribing to {topic} failed: {errors}")
