"""A Tryton's end state as the rows of the run tables the Business Central collector writes.

So verification and the report work unchanged: every ``sale.point.sale`` becomes a row of
``erp/documents`` (document number = Tryton's number, external document number =
``pos_reference``; a sale with negative quantities, a POS return, is a credit memo with
positive amounts as Business Central shows them), its lines rows of ``erp/document_lines``
with the amounts Tryton books: net = round(q × unit list price), gross = round(q × unit
gross price), tax = gross − net, rounded half-even to the currency as Tryton does (its
lines carry no discount: ``discount_minor`` is q × unit price − net, the rounding). Only a
``posted`` sale counts as posted; open, done and cancelled ones are written as ``Draft``.
The document's total and tax are Tryton's own ``total`` and ``total_tax`` (the lines' sums
when absent). ``committed_t`` is the sale's last write (its posting) on the run's clock.
POS stock adjustments (``stock.move`` with a ``pos_reference``) are ``journal`` rows, as
item journal lines are for Business Central; products are ``erp/items``.

The rows follow the run-directory contract's columns; writing them is the caller's job
(`erp_tables` returns them by table name).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, Protocol

from erps.tryton.reader import TrytonMove, TrytonProduct, TrytonSale

__all__ = ["Clock", "Reads", "erp_tables", "item_rows", "move_documents", "sale_documents"]

Row = dict[str, Any]


class Clock(Protocol):
    """The run's clock: simulated seconds at a wall time (``time.time()`` seconds)."""

    def t_at(self, wall: float) -> float: ...


class Reads(Protocol):
    """What `erp_tables` reads: `erps.tryton.TrytonReader`'s end-state queries."""

    def sales(self) -> list[TrytonSale]: ...

    def moves(self) -> list[TrytonMove]: ...

    def products(self) -> list[TrytonProduct]: ...


def _minor(amount: Decimal, exponent: int) -> int:
    return int(amount.scaleb(exponent).to_integral_value(rounding=ROUND_HALF_EVEN))


def _committed(
    write_date: dt.datetime | None, create_date: dt.datetime | None, clock: Clock
) -> tuple[float | None, float | None]:
    moment = write_date or create_date
    if moment is None:
        return None, None
    wall = (moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)).timestamp()
    return wall, clock.t_at(wall)


def sale_documents(
    sales: Iterable[TrytonSale], *, clock: Clock, exponent: int, currency: str | None
) -> tuple[list[Row], list[Row]]:
    """``erp/documents`` and ``erp/document_lines`` rows for Tryton POS sales."""
    docs: list[Row] = []
    lines: list[Row] = []
    for sale in sales:
        document_id = f"tryton-sale-{sale.id}"
        credit = sum((line.quantity for line in sale.lines), Decimal(0)) < 0
        sign = -1 if credit else 1
        total = tax = 0
        for number, line in enumerate(sale.lines, start=1):
            net = _minor(line.quantity * line.unit_list_price, exponent)
            gross = _minor(line.quantity * line.unit_gross_price, exponent)
            total += gross
            tax += gross - net
            unit = _minor(line.unit_list_price, exponent)
            quantity = float(line.quantity) * sign
            lines.append(
                {
                    "document_id": document_id,
                    "line_no": number,
                    "sku": line.sku,
                    "quantity": quantity,
                    "unit_price_minor": unit,
                    "discount_minor": round(quantity * unit) - net * sign,
                    "tax_minor": (gross - net) * sign,
                    "description": None,
                }
            )
        if sale.total is not None:
            total = _minor(sale.total, exponent)
        if sale.total_tax is not None:
            tax = _minor(sale.total_tax, exponent)
        wall, committed_t = _committed(sale.write_date, sale.create_date, clock)
        docs.append(
            {
                "document_id": document_id,
                "kind": "credit_memo" if credit else "invoice",
                "external_document_number": sale.pos_reference,
                "number": sale.number,
                "store_id": sale.store_id,
                "status": "Posted" if sale.state == "posted" else "Draft",
                "total_minor": total * sign,
                "tax_minor": tax * sign,
                "currency": currency,
                "created_wall": wall,
                "committed_t": committed_t,
            }
        )
    return docs, lines


def move_documents(moves: Iterable[TrytonMove], *, clock: Clock) -> tuple[list[Row], list[Row]]:
    """``journal`` rows for the POS's stock moves (``quantity`` + into the store)."""
    docs: list[Row] = []
    lines: list[Row] = []
    for move in moves:
        document_id = f"tryton-move-{move.id}"
        wall, committed_t = _committed(move.write_date, move.create_date, clock)
        docs.append(
            {
                "document_id": document_id,
                "kind": "journal",
                "external_document_number": move.pos_reference,
                "number": None,
                "store_id": move.store_id,
                "status": "Posted" if move.state == "done" else "Draft",
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
                "sku": move.sku,
                "quantity": float(move.quantity),
                "unit_price_minor": 0,
                "discount_minor": 0,
                "tax_minor": 0,
                "description": None,
            }
        )
    return docs, lines


def item_rows(products: Iterable[TrytonProduct], *, exponent: int) -> list[Row]:
    """``erp/items`` rows: SKU, list price in minor units (the SKU doubles as the name)."""
    return [
        {
            "sku": p.code,
            "unit_price_minor": _minor(p.list_price, exponent),
            "name": p.code,
        }
        for p in products
    ]


def erp_tables(
    reader: Reads, *, clock: Clock, exponent: int, currency: str | None
) -> dict[str, list[Row]]:
    """Every ERP table of a run against Tryton, read with the harness's `reader`."""
    docs, lines = sale_documents(reader.sales(), clock=clock, exponent=exponent, currency=currency)
    move_docs, move_lines = move_documents(reader.moves(), clock=clock)
    return {
        "erp/documents": docs + move_docs,
        "erp/document_lines": lines + move_lines,
        "erp/customers": [],
        "erp/items": item_rows(reader.products(), exponent=exponent),
    }
