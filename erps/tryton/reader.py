"""What the harness reads from Tryton: stock per store, POS sales and stock moves, products.

`TrytonReader` sits on the harness's own `TrytonClient` (never a connector's client) and
knows the ``sale_point`` and ``tillbench_pos`` modules: a store is the ``sale.point`` named
by its store id, its stock is Tryton's ``quantity`` at the point's storage location
(children included: the return location sits inside it), a POS document is a
``sale.point.sale`` and a stock adjustment a ``stock.move``, both carrying the POS's
``pos_reference``. Records come back as frozen dataclasses with Decimals and aware UTC
datetimes.

Example::

    reader = TrytonReader(TrytonClient(url, user="admin", password="…"))
    reader.stock(["S0001"])            # {("S0001", "SKU-00001"): Decimal("12"), …}
    [s.number for s in reader.sales(["ORD-1"])]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Collection, Iterator, Sequence
from decimal import Decimal
from typing import Any

from erps.tryton.client import TrytonClient

__all__ = ["TrytonMove", "TrytonProduct", "TrytonReader", "TrytonSale", "TrytonSaleLine"]

_CHUNK = 500
_SALE_FIELDS = [
    "number",
    "pos_reference",
    "point.name",
    "state",
    "date",
    "total",
    "total_tax",
    "create_date",
    "write_date",
]
_LINE_FIELDS = ["sale", "product.code", "quantity", "unit_gross_price", "unit_list_price"]
_MOVE_FIELDS = [
    "pos_reference",
    "product.code",
    "quantity",
    "from_location",
    "to_location",
    "state",
    "create_date",
    "write_date",
]


@dataclasses.dataclass(frozen=True, slots=True)
class TrytonSaleLine:
    """A line of a POS sale; prices per unit, up to 4 decimals."""

    sku: str | None
    quantity: Decimal
    """negative on a return"""
    unit_list_price: Decimal
    """excluding tax"""
    unit_gross_price: Decimal
    """including tax"""


@dataclasses.dataclass(frozen=True, slots=True)
class TrytonSale:
    """A ``sale.point.sale``: a POS sale, or a return (negative quantities)."""

    id: int
    number: str | None
    """Tryton's number (``S0001/12``), set when the sale is processed"""
    pos_reference: str | None
    store_id: str | None
    """the name of its sale point"""
    state: str
    """``open``, ``done``, ``posted`` or ``cancelled``; only ``posted`` moved stock and money"""
    date: dt.date | None
    total: Decimal | None
    total_tax: Decimal | None
    create_date: dt.datetime | None
    write_date: dt.datetime | None
    """the last write (its posting), aware UTC"""
    lines: tuple[TrytonSaleLine, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class TrytonMove:
    """A POS stock adjustment: a ``stock.move`` with a ``pos_reference``."""

    id: int
    pos_reference: str | None
    store_id: str | None
    sku: str | None
    quantity: Decimal
    """+ into the store's storage, - out of it"""
    state: str
    create_date: dt.datetime | None
    write_date: dt.datetime | None


@dataclasses.dataclass(frozen=True, slots=True)
class TrytonProduct:
    """A product with a code (the SKU) and its list price (excluding tax)."""

    code: str
    list_price: Decimal


class TrytonReader:
    """Read-only queries of a Tryton set up by `erps.tryton` (thread-safe)."""

    def __init__(self, client: TrytonClient) -> None:
        self.client = client
        self._lock = threading.Lock()
        self._storage: dict[str, int] | None = None

    def close(self) -> None:
        self.client.close()

    def storage_locations(self) -> dict[str, int]:
        """store id (sale point name) -> its storage location id; read once."""
        with self._lock:
            if self._storage is None:
                points = self.client.search_read("sale.point", [], ["name", "storage_location"])
                self._storage = {p["name"]: int(p["storage_location"]) for p in points}
            return dict(self._storage)

    def stock(self, store_ids: Sequence[str] | None = None) -> dict[tuple[str, str], Decimal]:
        """(store id, SKU) -> quantity at the store's storage location, returns included.

        Tryton's ``quantity``: done moves up to today, so a move left in draft does not
        count. Every store when `store_ids` is None; an unknown store id is a `KeyError`.
        """
        storage = self.storage_locations()
        out: dict[tuple[str, str], Decimal] = {}
        for store_id in sorted(storage) if store_ids is None else store_ids:
            context = {"locations": [storage[store_id]], "with_childs": True}
            for row in self.client.search_read(
                "product.product", [("code", "!=", None)], ["code", "quantity"], context=context
            ):
                out[(store_id, row["code"])] = _decimal(row["quantity"])
        return out

    def sales(self, references: Collection[str] | None = None) -> list[TrytonSale]:
        """The POS sales with these ``pos_reference`` values (every sale when None), by id."""
        if references is None:
            rows = list(self.client.search_read("sale.point.sale", [], _SALE_FIELDS))
            line_rows = self.client.search_read("sale.point.sale.line", [], _LINE_FIELDS)
        else:
            rows = list(self._in("sale.point.sale", "pos_reference", references, _SALE_FIELDS))
            ids = [r["id"] for r in rows]
            line_rows = self._in("sale.point.sale.line", "sale", ids, _LINE_FIELDS)
        lines: dict[int, list[TrytonSaleLine]] = {}
        for line in line_rows:
            lines.setdefault(line["sale"], []).append(
                TrytonSaleLine(
                    sku=_related(line, "product", "code"),
                    quantity=_decimal(line["quantity"]),
                    unit_list_price=_decimal(line["unit_list_price"]),
                    unit_gross_price=_decimal(line["unit_gross_price"]),
                )
            )
        return [
            TrytonSale(
                id=s["id"],
                number=s["number"],
                pos_reference=s["pos_reference"],
                store_id=_related(s, "point", "name"),
                state=s["state"],
                date=s["date"],
                total=s["total"],
                total_tax=s["total_tax"],
                create_date=_utc(s["create_date"]),
                write_date=_utc(s["write_date"]),
                lines=tuple(lines.get(s["id"], ())),
            )
            for s in sorted(rows, key=lambda row: int(row["id"]))
        ]

    def moves(self, references: Collection[str] | None = None) -> list[TrytonMove]:
        """The POS's stock moves with these references (every one with a reference when
        None), by id."""
        stores = {location: store for store, location in self.storage_locations().items()}
        if references is None:
            domain: list[Any] = [("pos_reference", "!=", None)]
            rows: Iterator[dict[str, Any]] = self.client.search_read(
                "stock.move", domain, _MOVE_FIELDS
            )
        else:
            rows = self._in("stock.move", "pos_reference", references, _MOVE_FIELDS)
        out = []
        for m in sorted(rows, key=lambda row: int(row["id"])):
            inward = m["to_location"] in stores
            out.append(
                TrytonMove(
                    id=m["id"],
                    pos_reference=m["pos_reference"],
                    store_id=stores.get(m["to_location"] if inward else m["from_location"]),
                    sku=_related(m, "product", "code"),
                    quantity=_decimal(m["quantity"]) * (1 if inward else -1),
                    state=m["state"],
                    create_date=_utc(m["create_date"]),
                    write_date=_utc(m["write_date"]),
                )
            )
        return out

    def products(self) -> list[TrytonProduct]:
        """Every product with a code, by id, with the list price in force.

        That is ``list_price_used``: a variant's ``list_price`` is only an override, empty
        unless set, and the template's price applies.
        """
        return [
            TrytonProduct(code=p["code"], list_price=_decimal(p["list_price_used"]))
            for p in self.client.search_read("product.product", [], ["code", "list_price_used"])
            if p.get("code")
        ]

    def _in(
        self, model: str, field: str, values: Collection[Any], fields: list[str]
    ) -> Iterator[dict[str, Any]]:
        """The records whose `field` is one of `values`, a chunk of them per query."""
        items = list(values)
        for start in range(0, len(items), _CHUNK):
            chunk = items[start : start + _CHUNK]
            yield from self.client.search_read(model, [(field, "in", chunk)], fields)


def _related(row: dict[str, Any], field: str, name: str) -> Any:
    """``product.code`` read through a many2one: Tryton answers ``{"product.": {"code": …}}``."""
    return (row.get(f"{field}.") or {}).get(name)


def _decimal(value: Any) -> Decimal:
    """Tryton's Decimal, or a float field (quantities) by its shortest repr; None is 0."""
    return Decimal(0) if value is None else Decimal(str(value))


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None
