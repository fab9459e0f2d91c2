"""Orders: create, retrieve, update with optimistic `version`, complete, search.

States OPEN, DRAFT, COMPLETED, CANCELED (Square). Every committed change raises `version`
by one and queues `order.updated`; a stale version is rejected. Completing an order
decrements tracked stock (IN_STOCK → SOLD at `closed_at`) and fires
`inventory.count.updated`, as Square does.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine import inventory
from mocks.pos.engine.catalog import item_names_of, variations_by_id
from mocks.pos.engine.errors import InvalidRequest, NotFound, VersionMismatch, missing
from mocks.pos.engine.events import emit
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.locations import get_location
from mocks.pos.engine.pricing import Override, money, price_order
from mocks.pos.engine.quantities import parse_quantity
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import orders
from mocks.pos.engine.timestamps import fmt

Record = dict[str, Any]

CREATABLE_STATES = ("OPEN", "DRAFT")
TRANSITIONS = {
    "DRAFT": {"DRAFT", "OPEN", "CANCELED"},
    "OPEN": {"OPEN", "COMPLETED", "CANCELED"},
    "COMPLETED": {"COMPLETED"},
    "CANCELED": {"CANCELED"},
}
WRITABLE = (
    "reference_id",
    "customer_id",
    "metadata",
    "ticket_name",
    "source",
    "line_items",
    "taxes",
    "discounts",
    "state",
)


def _check_money(order: Record, currency: str) -> None:
    def visit(node: object, path: str) -> None:
        if isinstance(node, dict):
            if path.endswith("_money") and "currency" in node and node["currency"] != currency:
                raise InvalidRequest(
                    f"currency {node['currency']!r} does not match the location's {currency!r}",
                    field=f"{path}.currency",
                    code="CURRENCY_MISMATCH",
                )
            for key, value in node.items():
                visit(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{path}[{i}]")

    visit(order, "order")


def _resolve_lines(conn: sa.Connection, order: Record, currency: str) -> None:
    lines = order.get("line_items") or []
    wanted = [line["catalog_object_id"] for line in lines if line.get("catalog_object_id")]
    found = variations_by_id(conn, wanted)
    item_names = item_names_of(conn, found.values())
    for i, line in enumerate(lines):
        path = f"order.line_items[{i}]"
        if "quantity" not in line:
            raise missing(f"{path}.quantity")
        parse_quantity(line["quantity"], f"{path}.quantity", allow_zero=False)
        object_id = line.get("catalog_object_id")
        if object_id:
            variation = found.get(object_id)
            if variation is None or variation.get("is_deleted"):
                raise InvalidRequest(
                    f"catalog object {object_id!r} is not an item variation of the catalogue",
                    field=f"{path}.catalog_object_id",
                    code="NOT_FOUND",
                )
            data = variation.get("item_variation_data") or {}
            line.setdefault("catalog_version", variation.get("version"))
            if data.get("name"):
                line.setdefault("variation_name", data["name"])
            line.setdefault("name", item_names.get(data.get("item_id") or "") or object_id)
            if "base_price_money" not in line:
                price = data.get("price_money") or money(0, currency)
                line["base_price_money"] = dict(price)
            line.setdefault("item_type", "ITEM")
        else:
            if "base_price_money" not in line:
                raise missing(f"{path}.base_price_money")
            if not line.get("name"):
                raise missing(f"{path}.name")
            line.setdefault("item_type", "ITEM")
        line.setdefault("quantity_unit", None)
        if line["quantity_unit"] is None:
            del line["quantity_unit"]


def _row(record: Record, visible_at: float) -> Record:
    return {
        "location_id": record["location_id"],
        "state": record["state"],
        "version": record["version"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "closed_at": record.get("closed_at"),
        "visible_at": visible_at,
        "data": record,
    }


def _event(conn: sa.Connection, store: PosStore, record: Record, *, created: bool) -> None:
    kind = "created" if created else "updated"
    body = {
        "order_id": record["id"],
        "version": record["version"],
        "location_id": record["location_id"],
        "state": record["state"],
        "created_at": record["created_at"],
    }
    if not created:
        body["updated_at"] = record["updated_at"]
    emit(
        conn,
        store,
        event_type=f"order.{kind}",
        data_type=f"order_{kind}",
        object_id=record["id"],
        obj={f"order_{kind}": body},
    )


def create_order(
    conn: sa.Connection,
    store: PosStore,
    spec: Record,
    *,
    order_id: str | None = None,
    source_txn_id: str | None = None,
    at: datetime | None = None,
    state: str | None = None,
    overrides: list[Override] | None = None,
    extra: Record | None = None,
) -> Record:
    """Create an order from a Square `Order` body; `state`/`at` are for the driver only."""
    order = copy.deepcopy(spec)
    for readonly in (
        "id",
        "version",
        "created_at",
        "updated_at",
        "closed_at",
        "tenders",
        "returns",
        "refunds",
    ):
        order.pop(readonly, None)
    location_id = order.get("location_id")
    if not location_id:
        raise missing("order.location_id")
    location = get_location(conn, location_id, field="order.location_id")
    currency = location["currency"]
    _check_money(order, currency)
    requested = state or order.get("state") or "OPEN"
    if state is None and requested not in CREATABLE_STATES:
        raise InvalidRequest(
            f"an order is created OPEN or DRAFT, got {requested!r}; complete it by paying it",
            field="order.state",
        )
    _resolve_lines(conn, order, currency)
    price_order(order, currency, overrides=overrides)
    moment = fmt(at or store.clock())
    order.update(
        id=order_id or new_id(),
        state=requested,
        version=1,
        created_at=moment,
        updated_at=fmt(store.clock()),
        net_amount_due_money=dict(order["total_money"]),
    )
    if extra:
        order.update(extra)
    if requested in ("COMPLETED", "CANCELED"):
        order.setdefault("closed_at", moment)
    if requested == "COMPLETED":
        order["net_amount_due_money"] = money(0, currency)
    conn.execute(
        orders.insert().values(
            id=order["id"], source_txn_id=source_txn_id, **_row(order, store.clock().timestamp())
        )
    )
    _event(conn, store, order, created=True)
    if requested == "COMPLETED":
        decrement_stock(conn, store, order)
    return order


def get_order(conn: sa.Connection, order_id: str, *, for_update: bool = False) -> Record:
    """One order or NotFound."""
    query = sa.select(orders.c.data).where(orders.c.id == order_id)
    if for_update:
        query = query.with_for_update()
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"order {order_id!r} does not exist", field="order_id")
    return dict(row.data)


def batch_get(conn: sa.Connection, order_ids: list[str], location_id: str | None) -> list[Record]:
    """The orders among `order_ids` that exist (and belong to `location_id` if given)."""
    if not order_ids:
        return []
    query = sa.select(orders.c.data).where(orders.c.id.in_(order_ids))
    if location_id is not None:
        query = query.where(orders.c.location_id == location_id)
    found = {r.data["id"]: dict(r.data) for r in conn.execute(query)}
    return [found[i] for i in dict.fromkeys(order_ids) if i in found]


def save(conn: sa.Connection, store: PosStore, record: Record, *, expected_version: int) -> Record:
    """Write `record` as the next version, guarded by `expected_version` (compare-and-set)."""
    record["version"] = expected_version + 1
    record["updated_at"] = fmt(store.clock())
    result = conn.execute(
        orders.update()
        .where(orders.c.id == record["id"], orders.c.version == expected_version)
        .values(**_row(record, store.clock().timestamp()))
    )
    if result.rowcount != 1:
        raise VersionMismatch(
            f"order {record['id']!r} changed concurrently; retrieve it and retry",
            field="order.version",
        )
    _event(conn, store, record, created=False)
    return record


def update_order(
    conn: sa.Connection,
    store: PosStore,
    order_id: str,
    changes: Record,
    fields_to_clear: list[str],
) -> Record:
    """Sparse update (Square UpdateOrder): `changes.version` must be the current version."""
    current = get_order(conn, order_id, for_update=True)
    version = changes.get("version")
    if version is None:
        raise missing("order.version")
    if version != current["version"]:
        raise VersionMismatch(
            f"order {order_id!r} is at version {current['version']}, the request has "
            f"{version}; retrieve the order and resend with the current version",
            field="order.version",
        )
    state = current["state"]
    if state in ("COMPLETED", "CANCELED"):
        raise InvalidRequest(
            f"order {order_id!r} is {state}, a terminal state; it can no longer be updated",
            field="order.state",
        )
    record = copy.deepcopy(current)
    for i, path in enumerate(fields_to_clear):
        top = path.split(".")[0].split("[")[0]
        if top not in WRITABLE or top == "state":
            raise InvalidRequest(f"{path!r} cannot be cleared", field=f"fields_to_clear[{i}]")
        record.pop(top, None)
    for key in WRITABLE:
        if key not in changes or key == "state":
            continue
        if key in ("line_items", "taxes", "discounts"):
            merged = {e.get("uid"): e for e in record.get(key) or []}
            for entry in changes[key] or []:
                uid = entry.get("uid") or new_id()[:12].lower()
                merged[uid] = {**merged.get(uid, {}), **entry, "uid": uid}
            record[key] = list(merged.values())
        else:
            record[key] = changes[key]
    currency = get_location(conn, record["location_id"], field="order.location_id")["currency"]
    _check_money(record, currency)
    _resolve_lines(conn, record, currency)
    price_order(record, currency)
    new_state = changes.get("state") or state
    if new_state not in TRANSITIONS[state]:
        raise InvalidRequest(
            f"an order cannot go from {state} to {new_state!r}", field="order.state"
        )
    paid = sum(int(t["amount_money"]["amount"]) for t in record.get("tenders") or [])
    due = int(record["total_money"]["amount"]) - paid
    if new_state == "COMPLETED" and due > 0:
        raise InvalidRequest(
            f"order {order_id!r} still has {due} due; pay it (POST /v2/payments with order_id) "
            "before completing it",
            field="order.state",
        )
    record["net_amount_due_money"] = money(max(due, 0), currency)
    record["state"] = new_state
    if new_state in ("COMPLETED", "CANCELED"):
        record["closed_at"] = fmt(store.clock())
    record = save(conn, store, record, expected_version=current["version"])
    if new_state == "COMPLETED":
        decrement_stock(conn, store, record)
    return record


def decrement_stock(conn: sa.Connection, store: PosStore, order: Record) -> None:
    """IN_STOCK → SOLD for every tracked catalogue line of a completed order."""
    lines = [x for x in order.get("line_items") or [] if x.get("catalog_object_id")]
    variations = variations_by_id(conn, [line["catalog_object_id"] for line in lines])
    changes = [
        inventory.Change(
            type="ADJUSTMENT",
            catalog_object_id=line["catalog_object_id"],
            location_id=order["location_id"],
            quantity=parse_quantity(line["quantity"], "quantity"),
            occurred_at=order.get("closed_at") or order["updated_at"],
            from_state="IN_STOCK",
            to_state="SOLD",
            reference_id=order["id"],
        )
        for line in lines
        if (variations.get(line["catalog_object_id"]) or {})
        .get("item_variation_data", {})
        .get("track_inventory", True)
    ]
    if changes:
        inventory.apply_changes(conn, store, changes)


SORT_COLUMNS = {
    "CREATED_AT": orders.c.created_at,
    "UPDATED_AT": orders.c.updated_at,
    "CLOSED_AT": orders.c.closed_at,
}


def search(
    conn: sa.Connection,
    store: PosStore,
    *,
    location_ids: list[str],
    states: list[str] | None,
    time_field: str | None,
    start_at: str | None,
    end_at: str | None,
    sort_field: str,
    descending: bool,
    after: tuple[str, str] | None,
    limit: int,
) -> list[Record]:
    """A page of orders, keyset-paginated on (sort field, id)."""
    c = orders.c
    column = SORT_COLUMNS[sort_field]
    query = sa.select(c.data, column.label("sort_value")).where(c.location_id.in_(location_ids))
    if states:
        query = query.where(c.state.in_(states))
    if time_field is not None:
        filter_column = SORT_COLUMNS[time_field]
        if start_at is not None:
            query = query.where(filter_column >= start_at)
        if end_at is not None:
            query = query.where(filter_column < end_at)
    if sort_field == "CLOSED_AT":
        query = query.where(c.closed_at.is_not(None))
    lag = store.settings.search_lag_seconds
    if lag > 0:
        query = query.where(c.visible_at <= store.clock().timestamp() - lag)
    if after is not None:
        key = sa.tuple_(column, c.id)
        query = query.where(key < sa.tuple_(*after) if descending else key > sa.tuple_(*after))
    order = (column.desc(), c.id.desc()) if descending else (column.asc(), c.id.asc())
    rows = conn.execute(query.order_by(*order).limit(limit))
    return [dict(r.data) for r in rows]
