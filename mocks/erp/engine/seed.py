"""Load master data and opening stock: the simulator's catalogue, stores and customers.

Example::

    load_catalog(db, items=[{"number": "SKU-1", "displayName": "Milk", "unitPrice": "1.29"}],
                 locations=[{"code": "S001", "displayName": "Store 1"}],
                 stock=[{"itemNumber": "SKU-1", "locationCode": "S001", "quantity": 40}])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, select

from mocks.core import Database
from mocks.erp.engine import catalog, stock
from mocks.erp.engine import tables as t
from mocks.erp.engine.errors import Invalid, NotFound
from mocks.erp.engine.fixed import to_fixed

DEFAULT_CUSTOMER = {"number": "RETAIL", "displayName": "Retail walk-in customer"}
"""Created by ``load_catalog`` unless customers are given: store sales post to it."""


def load_catalog(
    db: Database,
    *,
    items: Sequence[Mapping[str, Any]] = (),
    locations: Sequence[Mapping[str, Any]] = (),
    customers: Sequence[Mapping[str, Any]] = (),
    stock_levels: Sequence[Mapping[str, Any]] = (),
    chunk: int = 5000,
) -> dict[str, int]:
    """Insert or update items, locations, customers and set opening stock; returns counts.

    Items: ``number`` (SKU), ``displayName``, ``unitPrice``, optional ``gtin``, ``unitCost``.
    Locations: ``code`` (store id), ``displayName``. Customers: ``number``, ``displayName``.
    Stock: ``itemNumber``, ``locationCode``, ``quantity`` (absolute).
    """
    with db.begin() as conn:
        for start in range(0, len(items), chunk):
            _upsert_items(conn, items[start : start + chunk])
        _upsert(conn, t.locations, "code", [_location(x, i) for i, x in enumerate(locations)])
        people = customers or ([DEFAULT_CUSTOMER] if not _any(conn, t.customers) else [])
        _upsert(conn, t.customers, "number", [_customer(x, i) for i, x in enumerate(people)])
        if stock_levels:
            ids = {r.number: r.id for r in conn.execute(select(t.items.c.id, t.items.c.number))}
            moves = []
            for index, level in enumerate(stock_levels):
                number = str(level.get("itemNumber", ""))
                if number not in ids:
                    raise NotFound("Item", "No.", number, field=f"stock[{index}].itemNumber")
                moves.append(
                    (
                        ids[number],
                        str(level.get("locationCode", "")),
                        to_fixed(_decimal(level.get("quantity"), f"stock[{index}].quantity")),
                    )
                )
            for start in range(0, len(moves), chunk):
                stock.set_quantities(conn, moves[start : start + chunk])
    return {
        "items": len(items),
        "locations": len(locations),
        "customers": len(customers),
        "stock": len(stock_levels),
    }


def _upsert_items(conn: Connection, items: Sequence[Mapping[str, Any]]) -> None:
    rows = []
    for index, item in enumerate(items):
        number = str(item.get("number", ""))
        if not number or len(number) > 40:
            raise Invalid(
                f"Item number must be 1-40 characters, got '{number}'.",
                field=f"items[{index}].number",
            )
        rows.append(
            {
                "number": number,
                "display_name": str(item.get("displayName", number))[:100],
                "gtin": str(item.get("gtin", ""))[:14],
                "unit_price": to_fixed(
                    _decimal(item.get("unitPrice", 0), f"items[{index}].unitPrice")
                ),
                "unit_cost": to_fixed(
                    _decimal(item.get("unitCost", 0), f"items[{index}].unitCost")
                ),
                "type": "Inventory",
                "base_unit_of_measure_code": "PCS",
                "blocked": bool(item.get("blocked", False)),
            }
        )
    _upsert(conn, t.items, "number", rows)


def _upsert(conn: Connection, table: Any, key: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    existing = {
        r[0]: r[1]
        for r in conn.execute(
            select(table.c[key], table.c.id).where(table.c[key].in_([x[key] for x in rows]))
        )
    }
    fresh = []
    for row in rows:
        if row[key] in existing:
            conn.execute(
                table.update()
                .where(table.c.id == existing[row[key]])
                .values(**row, version=table.c.version + 1, last_modified=catalog.now())
            )
        else:
            fresh.append(
                {"id": catalog.new_id(), "version": 1, "last_modified": catalog.now(), **row}
            )
    if fresh:
        conn.execute(table.insert(), fresh)


def _location(data: Mapping[str, Any], index: int) -> dict[str, Any]:
    code = str(data.get("code", ""))
    if not code or len(code) > 20:
        raise Invalid(
            f"Location code must be 1-20 characters, got '{code}'.",
            field=f"locations[{index}].code",
        )
    return {"code": code, "display_name": str(data.get("displayName", code))[:100]}


def _customer(data: Mapping[str, Any], index: int) -> dict[str, Any]:
    number = str(data.get("number", ""))
    if not number or len(number) > 20:
        raise Invalid(
            f"Customer number must be 1-20 characters, got '{number}'.",
            field=f"customers[{index}].number",
        )
    return {
        "number": number,
        "display_name": str(data.get("displayName", number))[:100],
        "email": str(data.get("email", ""))[:80],
        "currency_code": str(data.get("currencyCode", ""))[:10],
        "blocked": "",
        "phone_number": "",
    }


def _any(conn: Connection, table: Any) -> bool:
    return conn.execute(select(table.c.id).limit(1)).first() is not None


def _decimal(value: object, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise Invalid(f"{field} must be a number, got {value!r}.", field=field) from None
