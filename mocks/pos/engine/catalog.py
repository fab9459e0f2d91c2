"""The catalogue: items, their variations (the sellable SKUs, with prices) and friends.

The ERP is the source of truth for items and prices; a connector pushes them here with
batch-upsert. Every upsert raises the catalogue version and queues
`catalog.version.updated`. Client ids starting with `#` are temporary and mapped to new ids,
as in Square.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.errors import InvalidRequest, NotFound, VersionMismatch
from mocks.pos.engine.events import emit
from mocks.pos.engine.ids import new_id, stable_id
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import catalog_objects, catalog_state
from mocks.pos.engine.timestamps import fmt
from mocks.pos.engine.txcache import forget, tx_cache

Record = dict[str, Any]


def _next_version(conn: sa.Connection, store: PosStore) -> tuple[int, str]:
    now = store.clock()
    stamp = fmt(now)
    row = conn.execute(sa.select(catalog_state.c.version).where(catalog_state.c.id == 1)).first()
    candidate = int(now.timestamp() * 1000)
    if row is None:
        conn.execute(catalog_state.insert().values(id=1, version=candidate, updated_at=stamp))
        return candidate, stamp
    version = max(candidate, int(row.version) + 1)
    conn.execute(
        catalog_state.update()
        .where(catalog_state.c.id == 1)
        .values(version=version, updated_at=stamp)
    )
    return version, stamp


def _current(conn: sa.Connection, ids: list[str]) -> dict[str, Record]:
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(catalog_objects.c.id, catalog_objects.c.data).where(catalog_objects.c.id.in_(ids))
    )
    return {r.id: dict(r.data) for r in rows}


def _flatten(objects: list[Record], field: str, single: bool) -> list[tuple[Record, str]]:
    """Objects and nested item variations, each with the field path that names it."""
    flat: list[tuple[Record, str]] = []
    for i, obj in enumerate(objects):
        path = field if single else f"{field}[{i}]"
        flat.append((obj, path))
        variations = (obj.get("item_data") or {}).get("variations") or []
        for j, variation in enumerate(variations):
            flat.append((variation, f"{path}.item_data.variations[{j}]"))
    return flat


def upsert_objects(
    conn: sa.Connection,
    store: PosStore,
    objects: list[Record],
    *,
    field: str = "objects",
    fixed_ids: dict[str, str] | None = None,
    single: bool = False,
) -> tuple[list[Record], list[dict[str, str]]]:
    """Insert or update catalogue objects; returns (stored objects, id mappings).

    Errors name `field[i]...` (or `field...` when `single`, for a one-object request)."""
    objects = copy.deepcopy(objects)
    flat = _flatten(objects, field, single)
    mappings: dict[str, str] = {}
    for obj, path in flat:
        client_id = obj.get("id")
        if not isinstance(client_id, str) or not client_id:
            raise InvalidRequest(
                f"{path}.id is required", field=f"{path}.id", code="MISSING_REQUIRED_PARAMETER"
            )
        if client_id.startswith("#"):
            if client_id in mappings:
                raise InvalidRequest(f"duplicate temporary id {client_id!r}", field=f"{path}.id")
            mappings[client_id] = (fixed_ids or {}).get(client_id) or new_id()
    existing = _current(conn, [o["id"] for o, _ in flat if not o["id"].startswith("#")])
    for obj, path in flat:
        if obj["id"].startswith("#"):
            continue
        if obj["id"] not in existing:
            raise InvalidRequest(
                f"catalog object {obj['id']!r} does not exist; use an id starting with '#' "
                "to create one",
                field=f"{path}.id",
                code="NOT_FOUND",
            )
        sent = obj.get("version")
        current = existing[obj["id"]].get("version")
        if sent is not None and sent != current:
            raise VersionMismatch(
                f"object {obj['id']!r} is at version {current}, the request has {sent}; "
                "retrieve it again and resend with the current version",
                field=f"{path}.version",
            )
    if fixed_ids is None:
        forget(conn, "variation_by_sku")
    version, stamp = _next_version(conn, store)
    known_items: set[str | None] = {i for i, o in existing.items() if o.get("type") == "ITEM"}
    known_items |= {mappings.get(o["id"], o["id"]) for o, _ in flat if o.get("type") == "ITEM"}
    for obj, path in flat:
        obj["id"] = mappings.get(obj["id"], obj["id"])
        obj["version"] = version
        obj["updated_at"] = stamp
        obj.setdefault("is_deleted", False)
        obj.setdefault("present_at_all_locations", True)
        if obj.get("type") == "ITEM_VARIATION":
            data = obj.setdefault("item_variation_data", {})
            item_id = mappings.get(data.get("item_id") or "", data.get("item_id"))
            if item_id not in known_items:
                raise InvalidRequest(
                    f"item_id {data.get('item_id')!r} is not an ITEM in the catalogue or "
                    "this request",
                    field=f"{path}.item_variation_data.item_id",
                )
            data["item_id"] = item_id
    for obj, _ in flat:
        data = obj
        if obj.get("type") == "ITEM":
            item_data = {k: v for k, v in (obj.get("item_data") or {}).items() if k != "variations"}
            data = {**obj, "item_data": item_data}
        variation_data = obj.get("item_variation_data") or {}
        row = {
            "type": obj.get("type", ""),
            "version": version,
            "updated_at": stamp,
            "is_deleted": False,
            "sku": variation_data.get("sku"),
            "item_id": variation_data.get("item_id"),
            "data": data,
        }
        if obj["id"] in existing:
            conn.execute(
                catalog_objects.update().where(catalog_objects.c.id == obj["id"]).values(**row)
            )
        else:
            conn.execute(catalog_objects.insert().values(id=obj["id"], **row))
    emit(
        conn,
        store,
        event_type="catalog.version.updated",
        data_type="catalog_version",
        object_id=None,
        obj={"catalog_version": {"updated_at": stamp}},
    )
    return objects, [{"client_object_id": k, "object_id": v} for k, v in mappings.items()]


def _with_variations(conn: sa.Connection, record: Record) -> Record:
    if record.get("type") != "ITEM":
        return record
    rows = conn.execute(
        sa.select(catalog_objects.c.data)
        .where(catalog_objects.c.item_id == record["id"], catalog_objects.c.is_deleted.is_(False))
        .order_by(catalog_objects.c.id)
    )
    record.setdefault("item_data", {})["variations"] = [dict(r.data) for r in rows]
    return record


def get_object(conn: sa.Connection, object_id: str) -> Record:
    """One catalogue object (items with their current variations) or NotFound."""
    row = conn.execute(
        sa.select(catalog_objects.c.data).where(catalog_objects.c.id == object_id)
    ).first()
    if row is None or row.data.get("is_deleted"):
        raise NotFound(f"catalog object {object_id!r} does not exist", field="object_id")
    return _with_variations(conn, dict(row.data))


def variations_by_id(conn: sa.Connection, ids: list[str]) -> dict[str, Record]:
    """Variation records for the given ids (missing ids are absent)."""
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(catalog_objects.c.id, catalog_objects.c.data).where(
            catalog_objects.c.id.in_(ids), catalog_objects.c.type == "ITEM_VARIATION"
        )
    )
    return {r.id: dict(r.data) for r in rows}


def item_names_of(conn: sa.Connection, variations: Iterable[Record]) -> dict[str, str]:
    """Item id → item name for the items of `variations`."""
    ids = {(v.get("item_variation_data") or {}).get("item_id") for v in variations} - {None}
    if not ids:
        return {}
    rows = conn.execute(
        sa.select(catalog_objects.c.id, catalog_objects.c.data).where(catalog_objects.c.id.in_(ids))
    )
    return {r.id: (r.data.get("item_data") or {}).get("name") or r.id for r in rows}


def variation_for_sku(
    conn: sa.Connection, store: PosStore, sku: str, *, name: str, price: int, currency: str
) -> str:
    """The variation id selling `sku`, created (with its item) if the POS has never seen it."""
    known: dict[str, str] = tx_cache(conn).setdefault("variation_by_sku", {})
    if sku in known:
        return known[sku]
    known[sku] = _variation_for_sku(conn, store, sku, name=name, price=price, currency=currency)
    return known[sku]


def _variation_for_sku(
    conn: sa.Connection, store: PosStore, sku: str, *, name: str, price: int, currency: str
) -> str:
    auto_id = stable_id("variation", sku)
    ids = [
        str(r.id)
        for r in conn.execute(
            sa.select(catalog_objects.c.id)
            .where(
                catalog_objects.c.sku == sku,
                catalog_objects.c.type == "ITEM_VARIATION",
                catalog_objects.c.is_deleted.is_(False),
            )
            .order_by(catalog_objects.c.updated_at.desc(), catalog_objects.c.id)
        )
    ]
    if ids:
        preferred = [i for i in ids if i != auto_id]
        return preferred[0] if preferred else ids[0]
    variation = {
        "type": "ITEM_VARIATION",
        "id": "#variation",
        "item_variation_data": {
            "item_id": "#item",
            "name": "Regular",
            "sku": sku,
            "pricing_type": "FIXED_PRICING",
            "price_money": {"amount": price, "currency": currency},
            "track_inventory": True,
            "sellable": True,
            "stockable": True,
        },
    }
    item = {"type": "ITEM", "id": "#item", "item_data": {"name": name, "variations": [variation]}}
    fixed = {"#item": stable_id("item", sku), "#variation": auto_id}
    upsert_objects(conn, store, [item], field="catalog", fixed_ids=fixed)
    return fixed["#variation"]


def delete_object(conn: sa.Connection, store: PosStore, object_id: str) -> list[str]:
    """Mark an object (and an item's variations) deleted; returns the deleted ids."""
    record = get_object(conn, object_id)
    ids = [object_id] + [v["id"] for v in (record.get("item_data") or {}).get("variations", [])]
    forget(conn, "variation_by_sku")
    version, stamp = _next_version(conn, store)
    for oid in ids:
        row = conn.execute(
            sa.select(catalog_objects.c.data).where(catalog_objects.c.id == oid)
        ).one()
        data = {**row.data, "is_deleted": True, "version": version, "updated_at": stamp}
        conn.execute(
            catalog_objects.update()
            .where(catalog_objects.c.id == oid)
            .values(is_deleted=True, version=version, updated_at=stamp, data=data)
        )
    emit(
        conn,
        store,
        event_type="catalog.version.updated",
        data_type="catalog_version",
        object_id=None,
        obj={"catalog_version": {"updated_at": stamp}},
    )
    return ids


def search_objects(
    conn: sa.Connection,
    *,
    types: list[str] | None,
    include_deleted: bool,
    begin_time: str | None,
    exact: tuple[str, str] | None,
    after_id: str | None,
    limit: int,
) -> list[Record]:
    """A page of objects ordered by id, filtered by type, time and an exact attribute."""
    c = catalog_objects.c
    query = sa.select(c.data)
    if types:
        query = query.where(c.type.in_(types))
    if not include_deleted:
        query = query.where(c.is_deleted.is_(False))
    if begin_time is not None:
        query = query.where(c.updated_at >= begin_time)
    if after_id is not None:
        query = query.where(c.id > after_id)
    if exact is not None and exact[0] == "sku":
        query = query.where(c.sku == exact[1])
    rows = [
        dict(r.data)
        for r in conn.execute(
            query.order_by(c.id).limit(limit if exact is None or exact[0] == "sku" else 100_000)
        )
    ]
    if exact is not None and exact[0] != "sku":
        name, value = exact
        rows = [r for r in rows if _attribute(r, name) == value][:limit]
    return [_with_variations(conn, r) for r in rows]


def _attribute(record: Record, name: str) -> object:
    for key, value in record.items():
        if key.endswith("_data") and isinstance(value, dict) and name in value:
            return value[name]
    return record.get(name)


def catalog_version(conn: sa.Connection) -> int | None:
    """The current catalogue version, None before the first upsert."""
    row = conn.execute(sa.select(catalog_state.c.version).where(catalog_state.c.id == 1)).first()
    return None if row is None else int(row.version)
