"""Webhook Subscriptions API: create, list, retrieve, update, delete; event types."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Request, Response

from mocks.pos.engine import subscriptions
from mocks.pos.engine.deps import json
from mocks.pos.engine.events import EVENT_TYPES
from mocks.pos.square.deps import API_DEPENDENCIES, Store
from mocks.pos.square.respond import next_cursor, position, read, write
from mocks.pos.square.schemas.misc import (
    CreateWebhookSubscriptionRequest,
    UpdateWebhookSubscriptionRequest,
)

router = APIRouter(prefix="/v2/webhooks", tags=["webhooks"], dependencies=API_DEPENDENCIES)
SubscriptionId = Path(min_length=1, max_length=64)


@router.get("/event-types")
async def list_event_types() -> Response:
    """The event types this POS emits."""
    return json({"event_types": list(EVENT_TYPES)})


@router.post("/subscriptions")
async def create_subscription(
    body: CreateWebhookSubscriptionRequest, request: Request, store: Store
) -> Response:
    """Subscribe a URL to event types; the response carries the signature key."""
    fields = body.subscription.dump()
    return await write(
        request,
        store,
        scope="webhooks.create",
        key=body.idempotency_key,
        body=body.dump(),
        action=lambda conn: {
            "subscription": subscriptions.create_subscription(conn, store, fields)
        },
    )


@router.get("/subscriptions")
async def list_subscriptions(
    store: Store,
    cursor: str | None = Query(None, max_length=2000),
    include_disabled: bool = False,
    limit: int = Query(100, ge=1, le=100),
) -> Response:
    """List subscriptions, oldest first."""
    shape = {"d": include_disabled}
    after = position(store, cursor, query=shape, size=2)

    def run(conn: sa.Connection) -> dict[str, Any]:
        found = subscriptions.list_subscriptions(
            conn,
            include_disabled=include_disabled,
            after=(after[0], after[1]) if after else None,
            limit=limit + 1,
        )
        payload: dict[str, Any] = {"subscriptions": found[:limit]}
        if len(found) > limit:
            last = found[limit - 1]
            payload["cursor"] = next_cursor(store, [last["created_at"], last["id"]], query=shape)
        return payload

    return read(store, run)


@router.get("/subscriptions/{subscription_id}")
async def retrieve_subscription(store: Store, subscription_id: str = SubscriptionId) -> Response:
    """Retrieve one subscription."""
    return read(
        store,
        lambda conn: {"subscription": subscriptions.get_subscription(conn, subscription_id)},
    )


@router.put("/subscriptions/{subscription_id}")
async def update_subscription(
    body: UpdateWebhookSubscriptionRequest,
    request: Request,
    store: Store,
    subscription_id: str = SubscriptionId,
) -> Response:
    """Change a subscription's name, URL, event types or enabled flag."""
    fields = body.subscription.dump() if body.subscription else {}
    return await write(
        request,
        store,
        scope="webhooks.update",
        key=None,
        body=fields,
        action=lambda conn: {
            "subscription": subscriptions.update_subscription(conn, store, subscription_id, fields)
        },
    )


@router.delete("/subscriptions/{subscription_id}")
async def delete_subscription(
    request: Request, store: Store, subscription_id: str = SubscriptionId
) -> Response:
    """Delete a subscription."""

    def run(conn: sa.Connection) -> dict[str, Any]:
        subscriptions.delete_subscription(conn, subscription_id)
        return {}

    return await write(request, store, scope="webhooks.delete", key=None, body=None, action=run)
