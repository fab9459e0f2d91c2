"""Locations (stores) of the merchant."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.errors import InvalidRequest, NotFound
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import locations
from mocks.pos.engine.timestamps import fmt

Record = dict[str, Any]

DEFAULT_LOCATION_ID = "MAINLOCATION01"


def _record(store: PosStore, location_id: str, fields: Record, created_at: str) -> Record:
    record: Record = {
        "id": location_id,
        "name": fields.get("name") or location_id,
        "status": fields.get("status") or "ACTIVE",
        "type": fields.get("type") or "PHYSICAL",
        "timezone": fields.get("timezone") or "UTC",
        "capabilities": ["CREDIT_CARD_PROCESSING"],
        "created_at": created_at,
        "merchant_id": store.settings.merchant_id,
        "country": "US",
        "language_code": "en-US",
        "currency": store.settings.currency,
        "business_name": fields.get("business_name") or "tillbench retail",
    }
    for key in ("address", "description", "phone_number"):
        if fields.get(key) is not None:
            record[key] = fields[key]
    return record


def create_location(
    conn: sa.Connection, store: PosStore, fields: Record, *, location_id: str | None = None
) -> Record:
    """Create a location from Square `Location` fields."""
    record = _record(store, location_id or new_id()[:13], fields, fmt(store.clock()))
    conn.execute(
        locations.insert().values(id=record["id"], created_at=record["created_at"], data=record)
    )
    return record


def ensure_location(conn: sa.Connection, store: PosStore, location_id: str, name: str) -> Record:
    """The location `location_id`, created with `name` if it does not exist yet."""
    row = conn.execute(sa.select(locations.c.data).where(locations.c.id == location_id)).first()
    if row is not None:
        return dict(row.data)
    return create_location(conn, store, {"name": name}, location_id=location_id)


def ensure_default_location(store: PosStore) -> None:
    """Every merchant has at least one location."""
    try:
        with store.db.begin() as conn:
            ensure_location(conn, store, DEFAULT_LOCATION_ID, "Main store")
    except sa.exc.IntegrityError:
        pass


def get_location(conn: sa.Connection, location_id: str, *, field: str = "location_id") -> Record:
    """One location; NotFound naming `field` if it does not exist."""
    row = conn.execute(sa.select(locations.c.data).where(locations.c.id == location_id)).first()
    if row is None:
        raise NotFound(f"location {location_id!r} does not exist", field=field)
    return dict(row.data)


def require_locations(conn: sa.Connection, ids: list[str], *, field: str) -> None:
    """Raise InvalidRequest naming the first of `ids` that is not a location."""
    known = {r.id for r in conn.execute(sa.select(locations.c.id).where(locations.c.id.in_(ids)))}
    for i, location_id in enumerate(ids):
        if location_id not in known:
            raise InvalidRequest(
                f"location {location_id!r} does not exist; list them with GET /v2/locations",
                field=f"{field}[{i}]",
                code="NOT_FOUND",
            )


def list_locations(conn: sa.Connection) -> list[Record]:
    """All locations, oldest first."""
    rows = conn.execute(
        sa.select(locations.c.data).order_by(locations.c.created_at, locations.c.id)
    )
    return [dict(r.data) for r in rows]
