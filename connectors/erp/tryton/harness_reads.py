"""What the harness reads from Tryton during a live run (stock for the drift sampler, the
posted sales and stock moves for the collector), kept apart from the connector's own
client: the connector never uses it.

Temporary: it goes once ``tillbench.live.tryton`` reads Tryton through the harness's own
reader in ``erps.tryton`` (issue 13: "the harness reads Tryton with its own reader, never
through the connector's client").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from connectors.erp.tryton.poster import TrytonPos, _paged

__all__ = ["HarnessReads"]


class HarnessReads(TrytonPos):
    """`TrytonPos` with the reads the harness makes."""

    def stock(self, store_ids: Sequence[str] | None = None) -> dict[tuple[str, str], Decimal]:
        """(store_id, sku) -> quantity at the store's storage location (returns included).

        Tryton's ``quantity``: done moves up to today, so a move left in draft does not count
        (Tryton refuses moves dated after today anyway).
        """
        out: dict[tuple[str, str], Decimal] = {}
        for store_id in store_ids if store_ids is not None else self.store_ids():
            point = self._point(store_id, "stock")
            context = {"locations": [point.storage], "with_childs": True}
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
        """Every sale.point.sale with its lines; datetimes are aware UTC.

        Per sale: id, number, pos_reference, store_id, state, date, total, total_tax,
        create_date, write_date, lines [{sku, quantity, unit_gross_price, unit_list_price}].
        """
        sales = list(
            _paged(
                self.rpc,
                "sale.point.sale",
                [],
                [
                    "number",
                    "pos_reference",
                    "point.name",
                    "state",
                    "date",
                    "total",
                    "total_tax",
                    "create_date",
                    "write_date",
                ],
            )
        )
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
        """Every stock adjustment posted by `move_stock` (moves with a POS reference)."""
        storage = {p.storage: store_id for store_id, p in self._points.items()}
        out = []
        for m in _paged(
            self.rpc,
            "stock.move",
            [("pos_reference", "!=", None)],
            [
                "pos_reference",
                "product.code",
                "quantity",
                "from_location",
                "to_location",
                "state",
                "create_date",
                "write_date",
            ],
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
                    "create_date": _utc(m["create_date"]),
                    "write_date": _utc(m["write_date"]),
                }
            )
        return out


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None
