"""Helpers shared by the ingestion of every transaction kind."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine.catalog import variation_for_sku
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.pricing import Override, money
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import orders as orders_table
from mocks.pos.engine.tables import payments as payments_table
from mocks.pos.engine.transactions import Line, Transaction

Record = dict[str, Any]


def metadata_of(txn: Transaction) -> Record:
    """Order metadata recording where the transaction came from."""
    meta = {"register_id": txn.register_id, "txn_id": txn.txn_id, "kind": txn.kind}
    if txn.cashier_id:
        meta["cashier_id"] = txn.cashier_id
    return meta


def line_items(
    conn: sa.Connection, store: PosStore, txn: Transaction
) -> tuple[list[Record], list[Override], list[Record]]:
    """Square line items (and taxes) for the non-voided lines, with the till's amounts."""
    lines, overrides, taxes = [], [], {}
    for line in txn.lines:
        if line.voided:
            continue
        variation = variation_for_sku(
            conn,
            store,
            line.sku,
            name=line.name or line.sku,
            price=line.unit_price,
            currency=txn.currency,
        )
        item: Record = {
            "uid": f"line-{line.line_no}",
            "name": line.name or line.sku,
            "quantity": line.quantity,
            "catalog_object_id": variation,
            "base_price_money": money(line.unit_price, txn.currency),
            "item_type": "ITEM",
            "metadata": {"sku": line.sku, "line_no": str(line.line_no)},
        }
        if Decimal(line.tax_rate) > 0:
            uid = f"tax-{line.tax_rate}"
            taxes[uid] = {
                "uid": uid,
                "name": f"Tax {line.tax_rate}",
                "percentage": percentage(line.tax_rate),
                "type": "ADDITIVE",
                "scope": "LINE_ITEM",
            }
            item["applied_taxes"] = [{"uid": f"{uid}-{line.line_no}", "tax_uid": uid}]
        lines.append(item)
        overrides.append(
            Override(discount=line.discount, tax=line.tax, gross=net_of(line) + line.discount)
        )
    return lines, overrides, list(taxes.values())


def percentage(rate: str) -> str:
    """A rate such as "0.08" as a Square percentage string ("8")."""
    value = (Decimal(rate) * 100).normalize()
    return f"{value:f}"


def check_tenders(txn: Transaction, total: int, path: str) -> None:
    """The tenders must add up to the transaction total exactly."""
    paid = sum(t.amount for t in txn.tenders)
    if paid != total:
        raise InvalidRequest(
            f"tenders add up to {paid} but the transaction total is {total} (lines net + tax); "
            "make the tender amounts cover the total exactly",
            field=f"{path}.tenders",
        )


def part(amount: int, share: Decimal) -> int:
    """`share` of a minor-unit amount, rounded half-up."""
    return int((Decimal(int(amount)) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def net_of(line: Line) -> int:
    """quantity × unit price − discount of a line (as the till rounded it, if it said)."""
    if line.net is not None:
        return line.net
    gross = (Decimal(line.quantity) * line.unit_price).quantize(Decimal(1), ROUND_HALF_UP)
    return int(gross) - line.discount


def order_of(conn: sa.Connection, txn_id: str) -> str | None:
    """The POS order id of a simulator transaction, None if never ingested."""
    row = conn.execute(
        sa.select(orders_table.c.id).where(orders_table.c.source_txn_id == txn_id)
    ).first()
    return None if row is None else str(row.id)


def payments_of(conn: sa.Connection, txn_id: str) -> list[Record]:
    """The payments of the order made for a simulator transaction."""
    order_id = order_of(conn, txn_id)
    if order_id is None:
        return []
    rows = conn.execute(
        sa.select(payments_table.c.data)
        .where(payments_table.c.order_id == order_id)
        .order_by(payments_table.c.id)
    )
    return [dict(r.data) for r in rows]
