"""Resolvers of the covered queries: shop, locations, orders (with refunds), product
variants and inventory items with their levels and quantities.

Every resolver reads through the request's connection (`Context.conn`): one short
transaction per query. Connections page with opaque cursors over a keyset (sort value,
id); `first` (or `last`) is required and at most 250, as Shopify answers.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import orjson
import sqlalchemy as sa
from graphql import (
    GraphQLError,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
)

from mocks.pos.engine import inventory as engine_inventory
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import (
    catalog_objects,
    customers,
    inventory_counts,
    locations,
    orders,
)
from mocks.pos.shopify import search, shapes
from mocks.pos.shopify.gid import gid, parse
from mocks.pos.shopify.settings import ShopifySettings

Record = dict[str, Any]
Info = GraphQLResolveInfo[Any]
AVAILABLE_STATE = "IN_STOCK"
QUANTITY_NAMES = (
    "available",
    "committed",
    "damaged",
    "incoming",
    "on_hand",
    "quality_control",
    "reserved",
    "safety_stock",
)


@dataclass
class Context:
    """What every resolver of one request gets as `info.context`."""

    conn: sa.Connection
    store: PosStore
    settings: ShopifySettings
    cache: dict[str, Any] = field(default_factory=dict)


def ctx(info: Info) -> Context:
    context: Context = info.context
    return context


# paging


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values)).decode("ascii")


def decode_cursor(cursor: str, argument: str) -> list[Any]:
    try:
        values = orjson.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, TypeError):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {argument}") from None
    if not isinstance(values, list):
        raise GraphQLError(f"Invalid cursor for current pagination sort: {argument}")
    return values


def page_size(context: Context, args: Record) -> int:
    """`first` (forward paging only), checked as Shopify checks it."""
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    if last is not None or args.get("before") is not None:
        raise GraphQLError(
            "last/before: backward paging is not covered by this mock; use first/after"
        )
    cap = context.settings.max_page_size
    assert first is not None
    if first < 0 or first > cap:
        raise GraphQLError(f"first: must be between 0 and {cap}, got {first}")
    return int(first)


def connection(nodes: list[Record], keys: list[list[Any]], *, more: bool, after: bool) -> Record:
    """A Relay connection over `nodes` (each with the keyset position in `keys`)."""
    cursors = [encode_cursor(k) for k in keys]
    return {
        "edges": [{"cursor": c, "node": n} for c, n in zip(cursors, nodes, strict=True)],
        "nodes": nodes,
        "pageInfo": {
            "hasNextPage": more,
            "hasPreviousPage": after,
            "startCursor": cursors[0] if cursors else None,
            "endCursor": cursors[-1] if cursors else None,
        },
    }


def list_connection(items: list[Record], args: Record, context: Context) -> Record:
    """A connection over an in-memory list (positions are indexes)."""
    size = page_size(context, args)
    start = 0
    if args.get("after"):
        start = int(decode_cursor(args["after"], "after")[0]) + 1
    chunk = items[start : start + size]
    return connection(
        chunk,
        [[start + i] for i in range(len(chunk))],
        more=start + size < len(items),
        after=start > 0,
    )


# shop and locations


def resolve_shop(_root: Any, info: Info) -> Record:
    context = ctx(info)
    return {
        "id": gid("Shop", context.settings.merchant_id),
        "name": "tillbench retail",
        "myshopifyDomain": context.settings.shop_domain,
        "currencyCode": context.settings.currency,
        "ianaTimezone": "UTC",
    }


def location_record(context: Context, engine_id: str) -> Record | None:
    known = context.cache.setdefault("locations", {})
    if engine_id not in known:
        row = context.conn.execute(
            sa.select(locations.c.data).where(locations.c.id == engine_id)
        ).first()
        known[engine_id] = shapes.location(dict(row.data)) if row else None
    found: Record | None = known[engine_id]
    return found


def resolve_location(_root: Any, info: Info, id: str) -> Record | None:
    engine_id = parse(id, "Location")
    return None if engine_id is None else location_record(ctx(info), engine_id)


def resolve_locations(_root: Any, info: Info, **args: Any) -> Record:
    context = ctx(info)
    search.parse(args.get("query"), {})
    rows = context.conn.execute(
        sa.select(locations.c.data).order_by(locations.c.created_at, locations.c.id)
    )
    return list_connection([shapes.location(dict(r.data)) for r in rows], args, context)


def hydrate(kind: str, loader: Any) -> Any:
    """A field resolver that loads the full object when a stub ({"id"}) stands for it."""

    def resolve(obj: Record, info: Info, **_args: Any) -> Any:
        name = info.field_name
        if name in obj:
            return obj[name]
        engine_id = parse(obj.get("id"), kind)
        full = loader(ctx(info), engine_id) if engine_id else None
        if full is None:
            raise GraphQLError(f"{kind} {obj.get('id')} does not exist")
        obj.update(full)
        return obj.get(name)

    return resolve


# catalogue


def _variant(context: Context, record: Record) -> Record:
    data = record.get("item_variation_data") or {}
    price = data.get("price_money") or {"amount": 0, "currency": context.settings.currency}
    item_id = data.get("item_id") or ""
    return {
        "id": gid("ProductVariant", record["id"]),
        "title": data.get("name") or "Default Title",
        "sku": data.get("sku"),
        "price": shapes.decimal(int(price.get("amount") or 0), price.get("currency") or "USD"),
        "product": {"id": gid("Product", item_id)},
        "inventoryItem": {"id": gid("InventoryItem", record["id"])},
        "updatedAt": record.get("updated_at"),
    }


def variation_record(context: Context, engine_id: str) -> Record | None:
    row = context.conn.execute(
        sa.select(catalog_objects.c.data).where(
            catalog_objects.c.id == engine_id,
            catalog_objects.c.type == "ITEM_VARIATION",
            catalog_objects.c.is_deleted.is_(False),
        )
    ).first()
    return dict(row.data) if row else None


def variant_by_id(context: Context, engine_id: str) -> Record | None:
    record = variation_record(context, engine_id)
    return None if record is None else _variant(context, record)


def product_by_id(context: Context, engine_id: str) -> Record | None:
    row = context.conn.execute(
        sa.select(catalog_objects.c.data).where(catalog_objects.c.id == engine_id)
    ).first()
    if row is None:
        return None
    return {
        "id": gid("Product", engine_id),
        "title": (row.data.get("item_data") or {}).get("name") or "",
    }


def inventory_item_by_id(context: Context, engine_id: str) -> Record | None:
    record = variation_record(context, engine_id)
    if record is None:
        return None
    data = record.get("item_variation_data") or {}
    return {
        "id": gid("InventoryItem", engine_id),
        "sku": data.get("sku"),
        "tracked": bool(data.get("track_inventory", True)),
        "variant": {"id": gid("ProductVariant", engine_id)},
    }


def resolve_product_variant(_root: Any, info: Info, id: str) -> Record | None:
    engine_id = parse(id, "ProductVariant")
    return None if engine_id is None else variant_by_id(ctx(info), engine_id)


def resolve_inventory_item(_root: Any, info: Info, id: str) -> Record | None:
    engine_id = parse(id, "InventoryItem")
    return None if engine_id is None else inventory_item_by_id(ctx(info), engine_id)


def resolve_product_variants(_root: Any, info: Info, **args: Any) -> Record:
    context = ctx(info)
    size = page_size(context, args)
    terms = search.parse(args.get("query"), {"sku": "text", "updated_at": "date"})
    c = catalog_objects.c
    query = sa.select(c.id, c.data).where(c.type == "ITEM_VARIATION", c.is_deleted.is_(False))
    for term in terms:
        if term.field == "sku":
            query = query.where(c.sku == term.value)
        else:
            query = query.where(_compare(c.updated_at, term))
    if args.get("after"):
        query = query.where(c.id > str(decode_cursor(args["after"], "after")[0]))
    rows = context.conn.execute(query.order_by(c.id).limit(size + 1)).all()
    prefetch_counts(context, [str(r.id) for r in rows[:size]])
    nodes = [_variant(context, dict(r.data)) for r in rows[:size]]
    return connection(
        nodes, [[r.id] for r in rows[:size]], more=len(rows) > size, after=bool(args.get("after"))
    )


def _compare(column: Any, term: search.Term) -> Any:
    ops = {
        ">": column > term.value,
        ">=": column >= term.value,
        "<": column < term.value,
        "<=": column <= term.value,
        "=": column == term.value,
    }
    return ops[term.op]


def resolve_product_variants_of(product: Record, info: Info, **args: Any) -> Record:
    context = ctx(info)
    item_id = parse(product["id"], "Product") or ""
    c = catalog_objects.c
    rows = context.conn.execute(
        sa.select(c.data)
        .where(c.item_id == item_id, c.type == "ITEM_VARIATION", c.is_deleted.is_(False))
        .order_by(c.id)
    )
    return list_connection([_variant(context, dict(r.data)) for r in rows], args, context)


def customer(record: Record) -> Record:
    """A Shopify `Customer` of an engine customer."""
    return {
        "id": gid("Customer", record["id"]),
        "firstName": record.get("given_name"),
        "lastName": record.get("family_name"),
        "email": record.get("email_address"),
        "note": record.get("note"),
        "createdAt": record.get("created_at"),
        "updatedAt": record.get("updated_at"),
    }


def resolve_customers(_root: Any, info: Info, **args: Any) -> Record:
    context = ctx(info)
    size = page_size(context, args)
    terms = search.parse(args.get("query"), {"email": "text"})
    c = customers.c
    query = sa.select(c.id, c.created_at, c.data)
    for term in terms:
        query = query.where(
            sa.func.lower(c.data["email_address"].as_string()) == term.value.lower()
        )
    if args.get("after"):
        query = query.where(
            sa.tuple_(c.created_at, c.id) > sa.tuple_(*decode_cursor(args["after"], "after"))
        )
    rows = context.conn.execute(query.order_by(c.created_at, c.id).limit(size + 1)).all()
    nodes = [customer(dict(r.data)) for r in rows[:size]]
    keys = [[r.created_at, r.id] for r in rows[:size]]
    return connection(nodes, keys, more=len(rows) > size, after=bool(args.get("after")))


# inventory


def prefetch_counts(context: Context, variations: list[str]) -> None:
    """Load the counts of a page of variations in one query (the levels then read them)."""
    c = inventory_counts.c
    known: dict[str, list[Any]] = context.cache.setdefault("counts", {})
    rows = context.conn.execute(
        sa.select(c.catalog_object_id, c.location_id, c.state, c.quantity_e5, c.calculated_at)
        .where(c.catalog_object_id.in_(variations))
        .order_by(c.location_id, c.state)
    )
    for variation in variations:
        known[variation] = []
    for row in rows:
        known[row.catalog_object_id].append(row)


def _counts(context: Context, variation: str, location: str | None) -> list[Any]:
    known = context.cache.get("counts", {}).get(variation)
    if known is not None:
        return [r for r in known if location is None or r.location_id == location]
    c = inventory_counts.c
    query = sa.select(c.location_id, c.state, c.quantity_e5, c.calculated_at).where(
        c.catalog_object_id == variation
    )
    if location is not None:
        query = query.where(c.location_id == location)
    return list(context.conn.execute(query.order_by(c.location_id, c.state)))


def available(context: Context, variation: str, location: str) -> int:
    """The `available` quantity of an item at a location (the engine's IN_STOCK count)."""
    for row in _counts(context, variation, location):
        if row.state == AVAILABLE_STATE:
            return int(Decimal(int(row.quantity_e5)) / engine_inventory.SCALE)
    return 0


def _level(variation: str, location: str, rows: list[Any]) -> Record:
    stock = next((r for r in rows if r.state == AVAILABLE_STATE), None)
    units = int(Decimal(int(stock.quantity_e5)) / engine_inventory.SCALE) if stock else 0
    damaged = sum(
        int(Decimal(int(r.quantity_e5)) / engine_inventory.SCALE)
        for r in rows
        if r.state == "WASTE"
    )
    updated = stock.calculated_at if stock else None
    return {
        "id": gid(
            "InventoryLevel", f"{variation}?inventory_item_id={variation}&location_id={location}"
        ),
        "item": {"id": gid("InventoryItem", variation)},
        "location": {"id": gid("Location", location)},
        "updatedAt": updated,
        "_quantities": {"available": units, "on_hand": units + damaged, "damaged": damaged},
        "_updated": updated,
    }


def resolve_inventory_level(item: Record, info: Info, locationId: str) -> Record | None:
    context = ctx(info)
    variation = parse(item["id"], "InventoryItem")
    location = parse(locationId, "Location")
    if variation is None or location is None or location_record(context, location) is None:
        return None
    rows = _counts(context, variation, location)
    return _level(variation, location, rows) if rows else None


def resolve_inventory_levels(item: Record, info: Info, **args: Any) -> Record:
    context = ctx(info)
    variation = parse(item["id"], "InventoryItem") or ""
    rows = _counts(context, variation, None)
    by_location: dict[str, list[Any]] = {}
    for row in rows:
        by_location.setdefault(row.location_id, []).append(row)
    levels = [_level(variation, loc, found) for loc, found in sorted(by_location.items())]
    return list_connection(levels, args, context)


def resolve_quantities(level: Record, _info: Info, names: list[str]) -> list[Record]:
    for name in names:
        if name not in QUANTITY_NAMES:
            raise GraphQLError(
                f"names: {name!r} is not a quantity name; use one of {', '.join(QUANTITY_NAMES)}"
            )
    quantities = level.get("_quantities") or {}
    return [
        {"name": name, "quantity": int(quantities.get(name, 0)), "updatedAt": level.get("_updated")}
        for name in names
    ]


# orders


def _sku_of(context: Context, records: list[Record]) -> dict[str, str]:
    wanted = {
        line.get("catalog_object_id")
        for r in records
        for line in (r.get("line_items") or [])
        + [i for ret in r.get("returns") or [] for i in ret.get("return_line_items") or []]
        if line.get("catalog_object_id")
    }
    if not wanted:
        return {}
    rows = context.conn.execute(
        sa.select(catalog_objects.c.id, catalog_objects.c.sku).where(
            catalog_objects.c.id.in_(sorted(wanted))
        )
    )
    return {r.id: r.sku for r in rows if r.sku}


SOURCE = orders.c.data[("returns", 0, "source_order_id")].as_string()
"""The order a return order returns from (NULL for any other order)."""


def _returns_of(context: Context, order_ids: list[str]) -> dict[str, list[Record]]:
    """Return orders per order they refund (an unlinked return refunds itself)."""
    found: dict[str, list[Record]] = {i: [] for i in order_ids}
    if not order_ids:
        return found
    c = orders.c
    rows = context.conn.execute(
        sa.select(c.data)
        .where(sa.or_(SOURCE.in_(order_ids), sa.and_(c.id.in_(order_ids), SOURCE.is_(None))))
        .order_by(c.created_at, c.id)
    )
    for row in rows:
        record = dict(row.data)
        if not record.get("returns"):
            continue
        found.setdefault(shapes.source_of(record) or record["id"], []).append(record)
    return found


def _with_refunds(context: Context, records: list[Record]) -> list[Record]:
    """Shopify orders of engine orders, each with its refunds and its latest update."""
    returns = _returns_of(context, [r["id"] for r in records])
    all_returns = [x for found in returns.values() for x in found]
    sku_of = _sku_of(context, records + all_returns)
    shaped = []
    for record in records:
        order = shapes.order(record, sku_of)
        refunds = [shapes.refund(x, sku_of) for x in returns.get(record["id"], [])]
        order["_refunds"] = refunds
        order["updatedAt"] = max([order["updatedAt"], *(x["updatedAt"] for x in refunds)])
        shaped.append(order)
    return shaped


def order_by_id(context: Context, engine_id: str) -> Record | None:
    row = context.conn.execute(sa.select(orders.c.data).where(orders.c.id == engine_id)).first()
    if row is None or shapes.source_of(dict(row.data)) is not None:
        return None
    return _with_refunds(context, [dict(row.data)])[0]


def resolve_order(_root: Any, info: Info, id: str) -> Record | None:
    engine_id = parse(id, "Order")
    return None if engine_id is None else order_by_id(ctx(info), engine_id)


def resolve_refund(_root: Any, info: Info, id: str) -> Record | None:
    context = ctx(info)
    engine_id = parse(id, "Refund")
    if engine_id is None:
        return None
    row = context.conn.execute(sa.select(orders.c.data).where(orders.c.id == engine_id)).first()
    if row is None or not row.data.get("returns"):
        return None
    record = dict(row.data)
    return shapes.refund(record, _sku_of(context, [record]))


def resolve_nodes(_root: Any, info: Info, ids: list[str]) -> list[Record | None]:
    """The Order or Refund of each id, in the order asked (null for an id that names
    neither, as Shopify answers an unknown id); all read at once, not one by one. More than
    `max_input_items` ids is Shopify's MAX_INPUT_SIZE_EXCEEDED."""
    context = ctx(info)
    cap = context.settings.max_input_items
    if len(ids) > cap:
        raise GraphQLError(
            f"ids: The input array size of {len(ids)} is greater than the maximum allowed "
            f"of {cap}.",
            extensions={"code": "MAX_INPUT_SIZE_EXCEEDED"},
        )
    wanted = [(parse(i, "Order"), parse(i, "Refund")) for i in ids]
    engine_ids = sorted({e for pair in wanted for e in pair if e})
    rows = context.conn.execute(
        sa.select(orders.c.id, orders.c.data).where(orders.c.id.in_(engine_ids))
    )
    records = {r.id: dict(r.data) for r in rows}
    sales = [
        records[o]
        for o in dict.fromkeys(o for o, _ in wanted if o)
        if o in records and shapes.source_of(records[o]) is None
    ]
    found_orders = {o["_engine_id"]: o for o in _with_refunds(context, sales)}
    returns = [
        records[r]
        for r in dict.fromkeys(r for _, r in wanted if r)
        if r in records and records[r].get("returns")
    ]
    sku_of = _sku_of(context, returns)
    found_refunds = {x["id"]: shapes.refund(x, sku_of) for x in returns}
    answer: list[Record | None] = []
    for order_id, refund_id in wanted:
        if order_id in found_orders:
            answer.append({**found_orders[order_id], "__typename": "Order"})
        elif refund_id in found_refunds:
            answer.append({**found_refunds[refund_id], "__typename": "Refund"})
        else:
            answer.append(None)
    return answer


SORT_COLUMNS = {
    "ID": orders.c.id,
    "CREATED_AT": orders.c.created_at,
    "PROCESSED_AT": orders.c.created_at,
    "UPDATED_AT": orders.c.updated_at,
}
ORDER_FIELDS = {
    "updated_at": "date",
    "created_at": "date",
    "processed_at": "date",
    "location_id": "text",
    "id": "text",
}


def _updated_since(term: search.Term) -> Any:
    """An order changed in the range: itself, or a return from it (a refund updates the
    order it refunds, as in Shopify). The returns are found once (an uncorrelated
    subquery), not once per order."""
    c = orders.c
    returns = orders.alias("returned")
    source = returns.c.data[("returns", 0, "source_order_id")].as_string()
    refunded = sa.select(source).where(_compare(returns.c.updated_at, term), source.is_not(None))
    return sa.or_(_compare(c.updated_at, term), c.id.in_(refunded.scalar_subquery()))


def resolve_orders(_root: Any, info: Info, **args: Any) -> Record:
    context = ctx(info)
    size = page_size(context, args)
    terms = search.parse(args.get("query"), ORDER_FIELDS)
    c = orders.c
    sort = SORT_COLUMNS[str(args.get("sortKey") or "ID")]
    reverse = bool(args.get("reverse"))
    query = sa.select(c.id, c.data, sort.label("sort_value")).where(SOURCE.is_(None))
    for term in terms:
        if term.field == "updated_at":
            query = query.where(_updated_since(term))
            continue
        column = {"location_id": c.location_id, "id": c.id}.get(term.field, c.created_at)
        value = term.value
        if term.field == "location_id":
            value = parse(value, "Location") or value
        if term.field == "id":
            value = parse(value, "Order") or value
        query = query.where(_compare(column, search.Term(term.field, term.op, value)))
    lag = context.settings.search_lag_seconds
    if lag > 0:
        query = query.where(c.visible_at <= context.store.clock().timestamp() - lag)
    if args.get("after"):
        position = decode_cursor(args["after"], "after")
        key = sa.tuple_(sort, c.id)
        query = query.where(key < sa.tuple_(*position) if reverse else key > sa.tuple_(*position))
    ordering = (sort.desc(), c.id.desc()) if reverse else (sort.asc(), c.id.asc())
    rows = context.conn.execute(query.order_by(*ordering).limit(size + 1)).all()
    nodes = _with_refunds(context, [dict(r.data) for r in rows[:size]])
    keys = [[r.sort_value, r.id] for r in rows[:size]]
    return connection(nodes, keys, more=len(rows) > size, after=bool(args.get("after")))


def _full(order: Record, info: Info) -> Record:
    """`order` with everything loaded (a stub {"id"} standing for it is filled in)."""
    if "_engine_id" not in order:
        engine_id = parse(order.get("id"), "Order")
        full = order_by_id(ctx(info), engine_id) if engine_id else None
        if full is None:
            raise GraphQLError(f"Order {order.get('id')} does not exist")
        order.update({k: v for k, v in full.items() if k != "id"})
    return order


def resolve_line_items(order: Record, info: Info, **args: Any) -> Record:
    return list_connection(_full(order, info).get("_lines") or [], args, ctx(info))


def resolve_transactions(order: Record, info: Info, **args: Any) -> list[Record]:
    found: list[Record] = _full(order, info).get("_transactions") or []
    first = args.get("first")
    return found if first is None else found[:first]


def resolve_refunds(order: Record, info: Info, **args: Any) -> list[Record]:
    found: list[Record] = _full(order, info).get("_refunds") or []
    first = args.get("first")
    return found if first is None else found[:first]


def resolve_refund_line_items(refund: Record, info: Info, **args: Any) -> Record:
    return list_connection(refund.get("_lines") or [], args, ctx(info))


def object_type(schema: GraphQLSchema, name: str) -> GraphQLObjectType:
    """The object type `name` of `schema`."""
    found = schema.type_map[name]
    assert isinstance(found, GraphQLObjectType)
    return found


def install(schema: GraphQLSchema) -> None:
    """Attach the query resolvers to `schema`."""
    query = object_type(schema, "Query").fields
    query["shop"].resolve = resolve_shop
    query["location"].resolve = resolve_location
    query["locations"].resolve = resolve_locations
    query["nodes"].resolve = resolve_nodes
    query["order"].resolve = resolve_order
    query["orders"].resolve = resolve_orders
    query["productVariant"].resolve = resolve_product_variant
    query["productVariants"].resolve = resolve_product_variants
    query["inventoryItem"].resolve = resolve_inventory_item
    query["refund"].resolve = resolve_refund
    query["customers"].resolve = resolve_customers
    object_type(schema, "Order").fields["lineItems"].resolve = resolve_line_items
    object_type(schema, "Order").fields["transactions"].resolve = resolve_transactions
    object_type(schema, "Order").fields["refunds"].resolve = resolve_refunds
    object_type(schema, "Product").fields["variants"].resolve = resolve_product_variants_of
    object_type(schema, "Refund").fields["refundLineItems"].resolve = resolve_refund_line_items
    item = object_type(schema, "InventoryItem").fields
    item["inventoryLevel"].resolve = resolve_inventory_level
    item["inventoryLevels"].resolve = resolve_inventory_levels
    object_type(schema, "InventoryLevel").fields["quantities"].resolve = resolve_quantities
    for kind, loader, skip in (
        ("Location", location_record, "id"),
        ("ProductVariant", variant_by_id, "id"),
        ("Product", product_by_id, "id"),
        ("InventoryItem", inventory_item_by_id, "id"),
        ("Order", order_by_id, "id"),
    ):
        for name, field_def in object_type(schema, kind).fields.items():
            if name != skip and field_def.resolve is None:
                field_def.resolve = hydrate(kind, loader)
