"""A Tryton's end state in the run tables the Business Central collector writes.

So verification and the report work unchanged: every ``sale.point.sale`` becomes a row of
``erp/documents`` (document number = Tryton's number, external document number =
``pos_reference``; a sale with negative quantities, a POS return, is a credit memo with
positive amounts as Business Central shows them), its lines rows of ``erp/document_lines``
with the amounts Tryton books: net = round(q × unit list price), gross = round(q × unit
gross price), tax = gross − net, rounded half-even to the currency as Tryton does (its
lines carry no discount: ``discount_minor`` is q × unit price − net, the rounding). Only a
``posted`` sale counts as posted; open, done and cancelled ones are written as ``Draft``.
The document's total and tax are Tryton's own ``total`` and ``total_tax`` (the lines' sums
when absent).
``committed_t`` is the sale's last write (its posting) on the run's clock. POS stock
adjustments (``stock.move`` with a ``pos_reference``) are ``journal`` rows, as item
journal lines are for Business Central.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from domain.rundir import write_table
from tillbench.live.clock import RunClock

__all__ = ["collect_tryton", "move_documents", "sale_documents"]

Row = dict[str, Any]


def _decimal(value: Any) -> Decimal:
    if isinstance(value, Mapping) and "decimal" in value:
        value = value["decimal"]
    return Decimal(str(value if value is not None else 0))


def _minor(amount: Decimal, exponent: int) -> int:
    return int(amount.scaleb(exponent).to_integral_value(rounding=ROUND_HALF_EVEN))


def _epoch(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return moment.timestamp()
    return None


def _committed(record: Mapping[str, Any], clock: RunClock) -> tuple[float | None, float | None]:
    wall = _epoch(record.get("write_date")) or _epoch(record.get("create_date"))
    return wall, None if wall is None else clock.t_at(wall)


def sale_documents(
    sales: Iterable[Mapping[str, Any]], *, clock: RunClock, exponent: int, currency: str | None
) -> tuple[list[Row], list[Row]]:
    """``erp/documents`` and ``erp/document_lines`` rows for Tryton POS sales.

    Each sale: ``id``, ``number``, ``pos_reference``, ``store_id``, ``state``,
    ``write_date``/``create_date`` and ``lines`` of ``sku``, ``quantity``,
    ``unit_list_price``, ``unit_gross_price`` (`TrytonPos.posted_sales`).
    """
    docs: list[Row] = []
    lines: list[Row] = []
    for sale in sales:
        document_id = f"tryton-sale-{sale['id']}"
        raw = list(sale.get("lines") or [])
        quantities = [_decimal(line.get("quantity")) for line in raw]
        credit = sum(quantities, Decimal(0)) < 0
        sign = -1 if credit else 1
        total = tax = 0
        for number, (line, qty) in enumerate(zip(raw, quantities, strict=True), start=1):
            list_price = _decimal(line.get("unit_list_price"))
            gross_price = _decimal(line.get("unit_gross_price"))
            net = _minor(qty * list_price, exponent)
            gross = _minor(qty * gross_price, exponent)
            total += gross
            tax += gross - net
            unit = _minor(list_price, exponent)
            quantity = float(qty) * sign
            lines.append(
                {
                    "document_id": document_id,
                    "line_no": number,
                    "sku": line.get("sku"),
                    "quantity": quantity,
                    "unit_price_minor": unit,
                    "discount_minor": round(quantity * unit) - net * sign,
                    "tax_minor": (gross - net) * sign,
                    "description": line.get("description"),
                }
            )
        if sale.get("total") is not None:
            total = _minor(_decimal(sale["total"]), exponent)
        if sale.get("total_tax") is not None:
            tax = _minor(_decimal(sale["total_tax"]), exponent)
        wall, committed_t = _committed(sale, clock)
        docs.append(
            {
                "document_id": document_id,
                "kind": "credit_memo" if credit else "invoice",
                "external_document_number": sale.get("pos_reference"),
                "number": sale.get("number"),
                "store_id": sale.get("store_id"),
                "status": "Posted" if sale.get("state") == "posted" else "Draft",
                "total_minor": total * sign,
                "tax_minor": tax * sign,
                "currency": currency,
                "created_wall": wall,
                "committed_t": committed_t,
            }
        )
    return docs, lines


def move_documents(
    moves: Iterable[Mapping[str, Any]], *, clock: RunClock
) -> tuple[list[Row], list[Row]]:
    """``journal`` rows for the POS's stock moves (``quantity`` + into the store)."""
    docs: list[Row] = []
    lines: list[Row] = []
    for move in moves:
        document_id = f"tryton-move-{move['id']}"
        wall, committed_t = _committed(move, clock)
        docs.append(
            {
                "document_id": document_id,
                "kind": "journal",
                "external_document_number": move.get("pos_reference"),
                "number": None,
                "store_id": move.get("store_id"),
                "status": "Posted" if move.get("state", "done") == "done" else "Draft",
                "total_minor": 0,
                "tax_minor": 0,
                "currency": None,
                "created_wall": wall,
                "committed_t": committed_t,
            }
        )
        lines.append(
            {
                "document_id": document_id,
                "line_no": 1,
                "sku": move.get("sku"),
                "quantity": float(_decimal(move.get("quantity"))),
                "unit_price_minor": 0,
                "discount_minor": 0,
                "tax_minor": 0,
                "description": None,
            }
        )
    return docs, lines


def _read_all(
    rpc: Any, model: str, domain: list[Any], fields: list[str], *, page: int = 1000
) -> list[dict[str, Any]]:
    """Every record of ``model`` matching ``domain``, in id order, a page per call."""
    rows: list[dict[str, Any]] = []
    while True:
        found = rpc.model(model, "search_read", domain, len(rows), page, [["id", "ASC"]], fields)
        rows.extend(found)
        if len(found) < page:
            return rows


def _items(rpc: Any, exponent: int) -> list[Row]:
    products = _read_all(rpc, "product.product", [], ["code", "list_price"])
    return [
        {
            "sku": p.get("code"),
            "unit_price_minor": _minor(_decimal(p.get("list_price")), exponent),
            "name": p.get("code"),
        }
        for p in products
        if p.get("code")
    ]


def collect_tryton(
    run_dir: Path,
    *,
    pos: Any,
    rpc: Any,
    clock: RunClock,
    exponent: int,
    currency: str | None,
) -> dict[str, int]:
    """Write the ERP tables from Tryton (``pos``: the harness's `TrytonPos`, ``rpc`` its
    `TrytonRpc` for the products); returns row counts."""
    docs, lines = sale_documents(
        pos.posted_sales(), clock=clock, exponent=exponent, currency=currency
    )
    move_docs, move_lines = move_documents(pos.posted_moves(), clock=clock)
    write_table(run_dir, "erp/documents", docs + move_docs)
    write_table(run_dir, "erp/document_lines", lines + move_lines)
    write_table(run_dir, "erp/customers", [])
    items = _items(rpc, exponent)
    write_table(run_dir, "erp/items", items)
    return {
        "erp/documents": len(docs) + len(move_docs),
        "erp/document_lines": len(lines) + len(move_lines),
        "erp/customers": 0,
        "erp/items": len(items),
    }
