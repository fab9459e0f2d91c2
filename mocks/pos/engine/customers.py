"""Customers (flow ERP → POS, or created at the register)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.errors import InvalidRequest, NotFound
from mocks.pos.engine.events import emit_record
from mocks.pos.engine.ids import new_id
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import customers
from mocks.pos.engine.timestamps import fmt

Record = dict[str, Any]

FIELDS = (
    "given_name",
    "family_name",
    "company_name",
    "nickname",
    "email_address",
    "address",
    "phone_number",
    "reference_id",
    "note",
    "birthday",
)


def create_customer(
    conn: sa.Connection, store: PosStore, fields: Record, *, customer_id: str | None = None
) -> Record:
    """Create a customer; Square needs at least one name, company or contact field."""
    if not any(
        fields.get(k)
        for k in ("given_name", "family_name", "company_name", "email_address", "phone_number")
    ):
        raise InvalidRequest(
            "at least one of given_name, family_name, company_name, email_address or "
            "phone_number is required",
            field="given_name",
            code="MISSING_REQUIRED_PARAMETER",
        )
    now = fmt(store.clock())
    record: Record = {
        "id": customer_id or new_id(),
        "created_at": now,
        "updated_at": now,
        "creation_source": "THIRD_PARTY",
        "preferences": {"email_unsubscribed": False},
        "version": 0,
    }
    record.update({k: fields[k] for k in FIELDS if fields.get(k) is not None})
    conn.execute(
        customers.insert().values(
            id=record["id"], created_at=now, updated_at=now, version=0, data=record
        )
    )
    emit_record(conn, store, "customer.created", "customer", record)
    return record


def get_customer(conn: sa.Connection, customer_id: str) -> Record:
    """One customer or NotFound."""
    row = conn.execute(sa.select(customers.c.data).where(customers.c.id == customer_id)).first()
    if row is None:
        raise NotFound(f"customer {customer_id!r} does not exist", field="customer_id")
    return dict(row.data)


def list_customers(
    conn: sa.Connection, *, after: tuple[str, str] | None, limit: int, descending: bool
) -> list[Record]:
    """A page of customers in created_at order, keyset-paginated after (created_at, id)."""
    c = customers.c
    query = sa.select(c.data)
    if after is not None:
        key = sa.tuple_(c.created_at, c.id)
        query = query.where(key < sa.tuple_(*after) if descending else key > sa.tuple_(*after))
    order = (c.created_at.desc(), c.id.desc()) if descending else (c.created_at, c.id)
    rows = conn.execute(query.order_by(*order).limit(limit))
    return [dict(r.data) for r in rows]
