"""Reading a Tryton database back in the connector's Tryton tests: stock per store × SKU and
the POS sales and stock moves it holds, through plain ``search_read`` calls (the
connector's own client only posts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from connectors.erp.tryton.client import TrytonRpc


def _paged(
    rpc: TrytonRpc,
    model: str,
    domain: list[Any],
    fields: list[str],
    *,
    context: dict[str, Any] | None = None,
    page: int = 1000,
) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        rows = rpc.model(
            model, "search_read", domain, offset, page, [("id", "ASC")], fields, context=context
        )
        yield from rows
        if len(rows) < page:
            return
        offset += page


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None


class TrytonReads:
    """What a Tryton database holds, as the tests check it."""

    def __init__(self, rpc: TrytonRpc) -> None:
        self.rpc = rpc
        points = rpc.model(
            "sale.point", "search_read", [], 0, None, None, ["name", "storage_location"]
        )
        self.storage = {p["name"]: p["storage_location"] for p in points}
        """store id → its storage location"""

    def stock(self, store_ids: Sequence[str] | None = None) -> dict[tuple[str, str], Decimal]:
        """(store_id, sku) -> quantity at the store's storage location (done moves)."""
        out: dict[tuple[str, str], Decimal] = {}
        for store_id in store_ids if store_ids is not None else sorted(self.storage):
            context = {"locations": [self.storage[store_id]], "with_childs": True}
            for row in _paged(
                self.rpc,
                "product.product",
                [("code", "!=", None)],
                ["code", "quantity"],
                context=context,
            ):
                out[(store_id, row["code"])] = Decimal(str(row["quantity"]))
        return out

    def posted_sales(self) -> list[dict[str, Any]]:
        """Every sale.point.sale with its lines; datetimes are aware UTC."""
        fields = [
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
        sales = list(_paged(self.rpc, "sale.point.sale", [], fields))
        lines: dict[int, list[dict[str, Any]]] = {}
        for line in _paged(
            self.rpc,
            "sale.point.sale.line",
            [],
            ["sale", "product.code", "quantity", "unit_gross_price", "unit_list_price"],
        ):
            lines.setdefault(line["sale"], []).append(
                {
                    "sku": (line.get("product.") or {}).get("code"),
                    "quantity": Decimal(str(line["quantity"])),
                    "unit_gross_price": line["unit_gross_price"],
                    "unit_list_price": line["unit_list_price"],
                }
            )
        return [
            {
                "id": s["id"],
                "number": s["number"],
                "pos_reference": s["pos_reference"],
                "store_id": (s.get("point.") or {}).get("name"),
                "state": s["state"],
                "date": s["date"],
                "total": s["total"],
                "total_tax": s["total_tax"],
                "create_date": _utc(s["create_date"]),
                "write_date": _utc(s["write_date"]),
                "lines": lines.get(s["id"], []),
            }
            for s in sales
        ]

    def posted_moves(self) -> list[dict[str, Any]]:
        """Every stock move with a POS reference, signed into (+) or out of (-) the store."""
        storage = {location: store_id for store_id, location in self.storage.items()}
        out = []
        for m in _paged(
            self.rpc,
            "stock.move",
            [("pos_reference", "!=", None)],
            ["pos_reference", "product.code", "quantity", "from_location", "to_location", "state"],
        ):
            inward = m["to_location"] in storage
            out.append(
                {
                    "id": m["id"],
                    "pos_reference": m["pos_reference"],
                    "store_id": storage.get(m["to_location"] if inward else m["from_location"]),
                    "sku": (m.get("product.") or {}).get("code"),
                    "quantity": Decimal(str(m["quantity"])) * (1 if inward else -1),
                    "state": m["state"],
                }
            )
        return out
