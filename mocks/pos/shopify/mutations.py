"""Resolvers of the covered mutations: inventoryAdjustQuantities (deltas),
inventorySetQuantities (absolute, compare-and-set), webhookSubscriptionCreate/Delete.

Input problems a merchant can fix come back as `userErrors` with the `field` path, and
nothing is changed (all or nothing). The inventory mutations honour the `@idempotent(key:)`
directive: a replay answers the first result, the same key with other input is an error;
from API version 2026-04 on the directive is required (Shopify changelog "Making
idempotency mandatory for inventory adjustments and refund mutations").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from graphql import (
    GraphQLError,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql.execution.values import get_directive_values

from mocks.pos.engine import catalog, customers, subscriptions
from mocks.pos.engine import inventory as engine_inventory
from mocks.pos.engine.errors import IdempotencyKeyReused
from mocks.pos.engine.idempotency import once
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.tables import customers as engine_customers
from mocks.pos.engine.tables import webhook_subscriptions
from mocks.pos.engine.timestamps import fmt
from mocks.pos.shopify import queries
from mocks.pos.shopify.gid import gid, parse
from mocks.pos.shopify.queries import Context, Info, ctx, object_type

Record = dict[str, Any]

REASONS = (
    "correction",
    "cycle_count_available",
    "damaged",
    "movement_canceled",
    "movement_created",
    "movement_received",
    "movement_updated",
    "other",
    "promotion",
    "quality_control",
    "received",
    "reservation_created",
    "reservation_deleted",
    "reservation_updated",
    "restock",
    "safety_stock",
    "shrinkage",
)
"""The documented inventory change reasons."""
WASTE_REASONS = ("damaged", "shrinkage")
"""Reasons whose stock leaves as waste (the engine's WASTE state), not to nowhere."""
SETTABLE_NAMES = ("available", "on_hand")
MAX_QUANTITY = 1_000_000_000
IDEMPOTENCY_REQUIRED_FROM = "2026-04"

TOPICS = {
    "ORDERS_CREATE": "order.created",
    "ORDERS_UPDATED": "order.updated",
    "REFUNDS_CREATE": "refund.created",
    "INVENTORY_LEVELS_UPDATE": "inventory.count.updated",
    "PRODUCTS_UPDATE": "catalog.version.updated",
    "CUSTOMERS_CREATE": "customer.created",
}
"""Shopify webhook topic → the engine event it is delivered for."""


def _error(path: list[str], message: str, code: str | None = None) -> Record:
    found: Record = {"field": path, "message": message}
    if code is not None:
        found["code"] = code
    return found


def idempotent(info: Info, body: Record, action: Callable[[], Record]) -> Record:
    """Run `action` once per `@idempotent(key:)`; without a key, every time (or an error
    from 2026-04 on)."""
    context = ctx(info)
    directive = info.schema.get_directive("idempotent")
    assert directive is not None
    values = get_directive_values(directive, info.field_nodes[0], info.variable_values)
    if values is None:
        if context.settings.api_version >= IDEMPOTENCY_REQUIRED_FROM:
            raise GraphQLError(
                f"{info.field_name}: the @idempotent(key:) directive is required from API "
                f"version {IDEMPOTENCY_REQUIRED_FROM}",
                extensions={"code": "BAD_REQUEST"},
            )
        return action()
    key = str(values["key"])
    try:
        _status, payload = once(
            context.conn,
            scope=f"shopify:{info.field_name}",
            key=key,
            body=body,
            action=lambda _conn: action(),
            now=fmt(context.store.clock()),
        )
    except IdempotencyKeyReused:
        raise GraphQLError(
            f"@idempotent(key: {key!r}) was already used with different input; use a new key "
            "for a new request",
            extensions={"code": "IDEMPOTENCY_KEY_REUSED"},
        ) from None
    return payload


def _resolve_refs(
    context: Context, item_ref: str, location_ref: str, path: list[str]
) -> tuple[str | None, str | None, list[Record], type[str]]:
    errors: list[Record] = []
    variation = parse(item_ref, "InventoryItem")
    if variation is None or queries.variation_record(context, variation) is None:
        errors.append(
            _error(
                [*path, "inventoryItemId"],
                f"The specified inventory item could not be found: {item_ref}",
                "INVALID_INVENTORY_ITEM",
            )
        )
        variation = None
    location = parse(location_ref, "Location")
    if location is None or queries.location_record(context, location) is None:
        errors.append(
            _error(
                [*path, "locationId"],
                f"The specified location could not be found: {location_ref}",
                "INVALID_LOCATION",
            )
        )
        location = None
    return variation, location, errors, str


def _group(context: Context, reason: str, uri: str | None, changes: list[Record]) -> Record:
    return {
        "id": gid("InventoryAdjustmentGroup", new_id()),
        "createdAt": fmt(context.store.clock()),
        "reason": reason,
        "referenceDocumentUri": uri,
        "changes": changes,
    }


def _occurred(context: Context) -> str:
    # a hair in the past, so a count and an adjustment of one request keep their order
    return fmt(context.store.clock() - timedelta(microseconds=1000))


def resolve_adjust(_root: Any, info: Info, input: Record) -> Record:
    context = ctx(info)
    return idempotent(info, {"input": input}, lambda: _adjust(context, input))


def _adjust(context: Context, data: Record) -> Record:
    errors: list[Record] = []
    name, reason = data["name"], data["reason"]
    if name not in ("available", "damaged", "on_hand"):
        errors.append(
            _error(
                ["input", "name"],
                f"The quantity name is not valid: {name}",
                "INVALID_QUANTITY_NAME",
            )
        )
    if reason not in REASONS:
        errors.append(
            _error(
                ["input", "reason"], f"The specified reason is invalid: {reason}", "INVALID_REASON"
            )
        )
    changes = data["changes"]
    if len(changes) > context.settings.max_input_items:
        raise GraphQLError(
            f"input.changes: at most {context.settings.max_input_items} items, got {len(changes)}",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
        )
    planned = []
    for i, change in enumerate(changes):
        path = ["input", "changes", str(i)]
        variation, location, found, _ = _resolve_refs(
            context, change["inventoryItemId"], change["locationId"], path
        )
        errors.extend(found)
        if variation is None or location is None:
            continue
        current = queries.available(context, variation, location)
        expected = change.get("changeFromQuantity")
        if expected is not None and expected != current:
            errors.append(
                _error(
                    [*path, "changeFromQuantity"],
                    f"The quantity changed: expected {expected}, it is {current}",
                    "CHANGE_FROM_QUANTITY_STALE",
                )
            )
        after = current + int(change["delta"])
        if abs(after) > MAX_QUANTITY:
            errors.append(
                _error(
                    [*path, "delta"],
                    "The quantity can't be higher than 1,000,000,000.",
                    "INVALID_QUANTITY_TOO_HIGH",
                )
            )
        planned.append((variation, location, int(change["delta"]), after))
    if errors:
        return {"inventoryAdjustmentGroup": None, "userErrors": errors}
    occurred = _occurred(context)
    engine_changes = []
    for variation, location, delta, _after in planned:
        if delta == 0:
            continue
        out_state = "WASTE" if data["reason"] in WASTE_REASONS else "NONE"
        engine_changes.append(
            engine_inventory.Change(
                type="ADJUSTMENT",
                catalog_object_id=variation,
                location_id=location,
                quantity=Decimal(abs(delta)),
                occurred_at=occurred,
                from_state="NONE" if delta > 0 else "IN_STOCK",
                to_state="IN_STOCK" if delta > 0 else out_state,
                reference_id=(data.get("referenceDocumentUri") or None),
            )
        )
    engine_inventory.apply_changes(context.conn, context.store, engine_changes)
    return {
        "inventoryAdjustmentGroup": _group(
            context,
            data["reason"],
            data.get("referenceDocumentUri"),
            [
                {
                    "name": data["name"],
                    "delta": delta,
                    "quantityAfterChange": after,
                    "item": {"id": gid("InventoryItem", variation)},
                    "location": {"id": gid("Location", location)},
                }
                for variation, location, delta, after in planned
            ],
        ),
        "userErrors": [],
    }


def resolve_set(_root: Any, info: Info, input: Record) -> Record:
    context = ctx(info)
    return idempotent(info, {"input": input}, lambda: _set(context, input))


def _set(context: Context, data: Record) -> Record:
    errors: list[Record] = []
    if data["name"] not in SETTABLE_NAMES:
        errors.append(
            _error(
                ["input", "name"],
                "The quantity name must be either 'available' or 'on_hand'.",
                "INVALID_NAME",
            )
        )
    if data["reason"] not in REASONS:
        errors.append(
            _error(
                ["input", "reason"],
                f"The specified reason is invalid: {data['reason']}",
                "INVALID_REASON",
            )
        )
    quantities = data["quantities"]
    if len(quantities) > context.settings.max_input_items:
        raise GraphQLError(
            f"input.quantities: at most {context.settings.max_input_items} items, "
            f"got {len(quantities)}",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
        )
    seen: set[tuple[str, str]] = set()
    planned = []
    for i, entry in enumerate(quantities):
        path = ["input", "quantities", str(i)]
        variation, location, found, _ = _resolve_refs(
            context, entry["inventoryItemId"], entry["locationId"], path
        )
        errors.extend(found)
        if variation is None or location is None:
            continue
        if (variation, location) in seen:
            errors.append(
                _error(
                    path,
                    "The combination of inventoryItemId and locationId must be unique.",
                    "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
                )
            )
            continue
        seen.add((variation, location))
        quantity = int(entry["quantity"])
        if quantity < 0:
            errors.append(
                _error(
                    [*path, "quantity"],
                    "The quantity can't be negative.",
                    "INVALID_QUANTITY_NEGATIVE",
                )
            )
        if quantity > MAX_QUANTITY:
            errors.append(
                _error(
                    [*path, "quantity"],
                    "The total quantity can't be higher than 1,000,000,000.",
                    "INVALID_QUANTITY_TOO_HIGH",
                )
            )
        current = queries.available(context, variation, location)
        if "changeFromQuantity" in entry:
            expected = entry["changeFromQuantity"]
            if expected is not None and expected != current:
                errors.append(
                    _error(
                        [*path, "changeFromQuantity"],
                        f"The quantity changed: expected {expected}, it is {current}",
                        "CHANGE_FROM_QUANTITY_STALE",
                    )
                )
        elif not data.get("ignoreCompareQuantity"):
            expected = entry.get("compareQuantity")
            if expected is None:
                errors.append(
                    _error(
                        [*path, "compareQuantity"],
                        "The compareQuantity argument must be given to each quantity or "
                        "ignored using ignoreCompareQuantity.",
                        "COMPARE_QUANTITY_REQUIRED",
                    )
                )
            elif expected != current:
                errors.append(
                    _error(
                        [*path, "compareQuantity"],
                        "The compareQuantity value does not match persisted value: "
                        f"expected {expected}, it is {current}",
                        "COMPARE_QUANTITY_STALE",
                    )
                )
        planned.append((variation, location, quantity, current))
    if errors:
        return {"inventoryAdjustmentGroup": None, "userErrors": errors}
    occurred = _occurred(context)
    engine_inventory.apply_changes(
        context.conn,
        context.store,
        [
            engine_inventory.Change(
                type="PHYSICAL_COUNT",
                catalog_object_id=variation,
                location_id=location,
                quantity=Decimal(quantity),
                occurred_at=occurred,
                state="IN_STOCK",
                reference_id=data.get("referenceDocumentUri") or None,
            )
            for variation, location, quantity, _current in planned
        ],
    )
    return {
        "inventoryAdjustmentGroup": _group(
            context,
            data["reason"],
            data.get("referenceDocumentUri"),
            [
                {
                    "name": data["name"],
                    "delta": quantity - current,
                    "quantityAfterChange": quantity,
                    "item": {"id": gid("InventoryItem", variation)},
                    "location": {"id": gid("Location", location)},
                }
                for variation, location, quantity, current in planned
            ],
        ),
        "userErrors": [],
    }


def _subscription(record: Record, topic: str) -> Record:
    return {
        "id": gid("WebhookSubscription", record["id"]),
        "topic": topic,
        "format": "JSON",
        "endpoint": {
            "__typename": "WebhookHttpEndpoint",
            "callbackUrl": record["notification_url"],
        },
        "createdAt": record["created_at"],
    }


def resolve_subscription_create(
    _root: Any, info: Info, topic: str, webhookSubscription: Record
) -> Record:
    context = ctx(info)
    url = webhookSubscription.get("callbackUrl")
    path = ["webhookSubscription", "callbackUrl"]
    if not url or not str(url).startswith(("http://", "https://")):
        return {
            "webhookSubscription": None,
            "userErrors": [_error(path, f"Address is invalid: {url!r}")],
        }
    event_type = TOPICS[topic]
    for row in context.conn.execute(sa.select(webhook_subscriptions.c.data)):
        data = row.data
        if data.get("notification_url") == url and data.get("event_types") == [event_type]:
            return {
                "webhookSubscription": None,
                "userErrors": [_error(path, "Address for this topic has already been taken")],
            }
    record = subscriptions.create_subscription(
        context.conn,
        context.store,
        {
            "name": topic,
            "event_types": [event_type],
            "notification_url": url,
            "api_version": context.settings.api_version,
        },
    )
    # Shopify signs every delivery with the app's client secret, not a per-subscription key
    record["signature_key"] = context.settings.app_secret
    record["topic"] = topic
    context.conn.execute(
        webhook_subscriptions.update()
        .where(webhook_subscriptions.c.id == record["id"])
        .values(data=record)
    )
    return {"webhookSubscription": _subscription(record, topic), "userErrors": []}


def resolve_subscription_delete(_root: Any, info: Info, id: str) -> Record:
    context = ctx(info)
    engine_id = parse(id, "WebhookSubscription")
    row = None
    if engine_id is not None:
        row = context.conn.execute(
            sa.select(webhook_subscriptions.c.id).where(webhook_subscriptions.c.id == engine_id)
        ).first()
    if row is None or engine_id is None:
        return {
            "deletedWebhookSubscriptionId": None,
            "userErrors": [_error(["id"], "Webhook subscription does not exist")],
        }
    subscriptions.delete_subscription(context.conn, engine_id)
    return {"deletedWebhookSubscriptionId": id, "userErrors": []}


def _minor(value: object, path: list[str]) -> tuple[int | None, Record | None]:
    """A `Money` input ("12.50") as minor units, or a user error naming `path`."""
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None, _error(path, f"Price is invalid: {value!r}", "INVALID")
    if amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        return None, _error(path, f"Price is invalid: {value!r}", "INVALID")
    return int(amount.scaleb(2)), None


def resolve_product_create(_root: Any, info: Info, product: Record) -> Record:
    """A product with its one default variant (no SKU, price 0.00), as Shopify creates it."""
    context = ctx(info)
    title = str(product.get("title") or "").strip()
    if not title:
        return {
            "product": None,
            "userErrors": [_error(["product", "title"], "Title can't be blank")],
        }
    variation = {
        "type": "ITEM_VARIATION",
        "id": "#variant",
        "item_variation_data": {
            "item_id": "#product",
            "name": "Default Title",
            "pricing_type": "FIXED_PRICING",
            "price_money": {"amount": 0, "currency": context.settings.currency},
            "track_inventory": True,
        },
    }
    item = {
        "type": "ITEM",
        "id": "#product",
        "item_data": {"name": title, "variations": [variation]},
    }
    _stored, mappings = catalog.upsert_objects(context.conn, context.store, [item], field="product")
    item_id = next(m["object_id"] for m in mappings if m["client_object_id"] == "#product")
    return {"product": {"id": gid("Product", item_id), "title": title}, "userErrors": []}


def resolve_variants_bulk_update(
    _root: Any, info: Info, productId: str, variants: list[Record]
) -> Record:
    """Change the price and SKU of a product's variants (all or nothing)."""
    context = ctx(info)
    item_id = parse(productId, "Product")
    product = queries.product_by_id(context, item_id) if item_id else None
    if product is None:
        return {
            "product": None,
            "productVariants": None,
            "userErrors": [
                _error(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
            ],
        }
    if len(variants) > context.settings.max_input_items:
        raise GraphQLError(
            f"variants: at most {context.settings.max_input_items} items, got {len(variants)}",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
        )
    errors: list[Record] = []
    changed: list[Record] = []
    for i, variant in enumerate(variants):
        path = ["variants", str(i)]
        engine_id = parse(variant.get("id"), "ProductVariant")
        record = queries.variation_record(context, engine_id) if engine_id else None
        data = (record or {}).get("item_variation_data") or {}
        if record is None or data.get("item_id") != item_id:
            errors.append(
                _error(
                    [*path, "id"],
                    "Product variant does not exist",
                    "PRODUCT_VARIANT_DOES_NOT_EXIST",
                )
            )
            continue
        data = dict(data)
        if variant.get("price") is not None:
            amount, problem = _minor(variant["price"], [*path, "price"])
            if problem is not None:
                errors.append(problem)
                continue
            data["price_money"] = {"amount": amount, "currency": context.settings.currency}
            data["pricing_type"] = "FIXED_PRICING"
        item_input = variant.get("inventoryItem") or {}
        if item_input.get("sku") is not None:
            data["sku"] = str(item_input["sku"])
        if item_input.get("tracked") is not None:
            data["track_inventory"] = bool(item_input["tracked"])
        changed.append(
            {**{k: v for k, v in record.items() if k != "version"}, "item_variation_data": data}
        )
    if errors:
        return {"product": None, "productVariants": None, "userErrors": errors}
    if changed:
        # the engine writes a variation with its item, as Square's batch upsert does
        item = catalog.get_object(context.conn, str(item_id))
        by_id = {str(v["id"]): v for v in changed}
        item_data = dict(item.get("item_data") or {})
        item_data["variations"] = [
            by_id.get(str(v["id"]), {k: x for k, x in v.items() if k != "version"})
            for v in item_data.get("variations") or []
        ]
        parent = {k: x for k, x in item.items() if k not in ("version", "item_data")}
        catalog.upsert_objects(
            context.conn, context.store, [{**parent, "item_data": item_data}], field="variants"
        )
    return {
        "product": {"id": productId},
        "productVariants": [queries.variant_by_id(context, str(v["id"])) for v in changed],
        "userErrors": [],
    }


def resolve_customer_create(_root: Any, info: Info, input: Record) -> Record:
    """A customer; the e-mail must be new ("Email has already been taken")."""
    context = ctx(info)
    email = input.get("email")
    if not any(input.get(k) for k in ("email", "firstName", "lastName", "phone")):
        return {
            "customer": None,
            "userErrors": [
                _error(["input"], "A name, phone number or email address must be present")
            ],
        }
    if email:
        taken = context.conn.execute(
            sa.select(engine_customers.c.id).where(
                sa.func.lower(engine_customers.c.data["email_address"].as_string())
                == str(email).lower()
            )
        ).first()
        if taken is not None:
            return {
                "customer": None,
                "userErrors": [_error(["input", "email"], "Email has already been taken")],
            }
    fields = {
        "given_name": input.get("firstName"),
        "family_name": input.get("lastName"),
        "email_address": email,
        "phone_number": input.get("phone"),
        "note": input.get("note"),
    }
    record = customers.create_customer(context.conn, context.store, fields)
    return {"customer": queries.customer(record), "userErrors": []}


def install(schema: GraphQLSchema) -> None:
    """Attach the mutation resolvers to `schema`."""
    mutation = object_type(schema, "Mutation").fields
    mutation["inventoryAdjustQuantities"].resolve = resolve_adjust
    mutation["inventorySetQuantities"].resolve = resolve_set
    mutation["webhookSubscriptionCreate"].resolve = resolve_subscription_create
    mutation["webhookSubscriptionDelete"].resolve = resolve_subscription_delete
    mutation["productCreate"].resolve = resolve_product_create
    mutation["productVariantsBulkUpdate"].resolve = resolve_variants_bulk_update
    mutation["customerCreate"].resolve = resolve_customer_create
    endpoint = schema.type_map["WebhookSubscriptionEndpoint"]
    assert isinstance(endpoint, GraphQLUnionType)
    endpoint.resolve_type = lambda value, *_: value.get("__typename", "WebhookHttpEndpoint")
