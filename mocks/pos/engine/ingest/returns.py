"""Returns and post-voids: a return order, refunds, stock back on the shelf."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine import inventory, orders, refunds
from mocks.pos.engine.catalog import variation_for_sku
from mocks.pos.engine.errors import InvalidRequest
from mocks.pos.engine.ids import stable_id
from mocks.pos.engine.ingest.common import (
    check_tenders,
    metadata_of,
    net_of,
    order_of,
    part,
    payments_of,
)
from mocks.pos.engine.pricing import money
from mocks.pos.engine.quantities import fmt_quantity
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import returned_lines
from mocks.pos.engine.timestamps import fmt
from mocks.pos.engine.transactions import Line, Tender, Transaction

Record = dict[str, Any]


def return_(
    conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str
) -> None:
    """A return: return order, refunds (to the original payments when receipted), stock."""
    total = sum(net_of(line) + line.tax for line in txn.lines if not line.voided)
    check_tenders(txn, total, path)
    originals = {
        line.original_txn_id for line in txn.lines if line.original_txn_id and txn.receipted
    }
    source = next(iter(sorted(originals)), None)
    if source is not None and order_of(conn, source) is None:
        source = None
    return_order(
        conn, store, txn, order_id, [line for line in txn.lines if not line.voided], source
    )
    source_payments = payments_of(conn, source) if source else []
    for i, tender in enumerate(txn.tenders):
        refund(conn, store, txn, tender, i, order_id, source_payments)


def refund(
    conn: sa.Connection,
    store: PosStore,
    txn: Transaction,
    tender: Tender,
    index: int,
    order_id: str,
    source_payments: list[Record],
) -> None:
    """Refund one tender, to a matching original payment if one can take it."""
    kind = {"card": "CARD", "cash": "CASH", "mobile": "WALLET"}.get(tender.kind, "EXTERNAL")
    status = "COMPLETED" if tender.kind == "cash" else "PENDING"
    refund_id = stable_id("refund", txn.txn_id, index)
    for payment in source_payments:
        if payment.get("source_type") != kind or payment["status"] != "COMPLETED":
            continue
        if refunds.refundable(conn, payment["id"]) >= tender.amount:
            refunds.create_refund(
                conn,
                store,
                payment_id=payment["id"],
                amount=tender.amount,
                currency=txn.currency,
                reason=f"{txn.kind} {txn.txn_id}"[:192],
                status=status,
                at=txn.completed_at,
                refund_id=refund_id,
            )
            return
    if tender.amount > 0:
        refunds.create_refund(
            conn,
            store,
            payment_id=None,
            amount=tender.amount,
            currency=txn.currency,
            reason=f"{txn.kind} {txn.txn_id}"[:192],
            location_id=txn.store_id,
            order_id=order_id,
            destination_type=kind,
            status=status,
            at=txn.completed_at,
            refund_id=refund_id,
        )


def return_order(
    conn: sa.Connection,
    store: PosStore,
    txn: Transaction,
    order_id: str,
    lines: list[Line],
    source_txn: str | None,
) -> None:
    """A COMPLETED return order for `lines`, with NONE → IN_STOCK stock moves."""
    currency = txn.currency
    return_lines = []
    changes = []
    for line in lines:
        variation = variation_for_sku(
            conn,
            store,
            line.sku,
            name=line.name or line.sku,
            price=line.unit_price,
            currency=currency,
        )
        gross = net_of(line) + line.discount
        return_lines.append(
            {
                "uid": f"return-{line.line_no}",
                "source_line_item_uid": f"line-{line.original_line_no}"
                if line.original_line_no
                else None,
                "name": line.name or line.sku,
                "quantity": line.quantity,
                "catalog_object_id": variation,
                "item_type": "ITEM",
                "base_price_money": money(line.unit_price, currency),
                "variation_total_price_money": money(gross, currency),
                "gross_return_money": money(gross, currency),
                "total_discount_money": money(line.discount, currency),
                "total_tax_money": money(line.tax, currency),
                "total_money": money(net_of(line) + line.tax, currency),
            }
        )
        changes.append(
            inventory.Change(
                type="ADJUSTMENT",
                catalog_object_id=variation,
                location_id=txn.store_id,
                quantity=Decimal(line.quantity),
                occurred_at=fmt(txn.completed_at),
                from_state="NONE",
                to_state="IN_STOCK",
                reference_id=order_id,
            )
        )
    for entry in return_lines:
        if entry["source_line_item_uid"] is None:
            del entry["source_line_item_uid"]
    tax = sum(line.tax for line in lines)
    discount = sum(line.discount for line in lines)
    total = sum(net_of(line) + line.tax for line in lines)
    source_order = stable_id("order", source_txn) if source_txn else None
    order_return: Record = {"uid": "return", "return_line_items": return_lines}
    if source_order:
        order_return["source_order_id"] = source_order
    amounts = {
        "total_money": money(total, currency),
        "tax_money": money(tax, currency),
        "discount_money": money(discount, currency),
        "tip_money": money(0, currency),
        "service_charge_money": money(0, currency),
    }
    extra = {
        "returns": [order_return],
        "return_amounts": amounts,
        "net_amounts": {k: money(-v["amount"], currency) for k, v in amounts.items()},
    }
    orders.create_order(
        conn,
        store,
        {
            "location_id": txn.store_id,
            "reference_id": txn.txn_id[:40],
            "metadata": metadata_of(txn),
        },
        order_id=order_id,
        source_txn_id=txn.txn_id,
        at=txn.completed_at,
        state="COMPLETED",
        extra=extra,
    )
    if source_order:
        record_returned(conn, source_order, lines)
    if changes:
        inventory.apply_changes(conn, store, changes)


def record_returned(conn: sa.Connection, source_order: str, lines: list[Line]) -> None:
    """Remember how much of each original line has come back."""
    t = returned_lines.c
    for line in lines:
        if line.original_line_no is None:
            continue
        uid = f"line-{line.original_line_no}"
        qty = int(Decimal(line.quantity) * inventory.SCALE)
        key = (t.source_order_id == source_order, t.line_uid == uid)
        done = conn.execute(
            returned_lines.update().where(*key).values(quantity_e5=t.quantity_e5 + qty)
        )
        if done.rowcount == 0:
            conn.execute(
                returned_lines.insert().values(
                    source_order_id=source_order, line_uid=uid, quantity_e5=qty
                )
            )


def already_returned(conn: sa.Connection, source_order: str) -> dict[str, Decimal]:
    """Quantities already returned per original line uid."""
    t = returned_lines.c
    rows = conn.execute(
        sa.select(t.line_uid, t.quantity_e5).where(t.source_order_id == source_order)
    )
    return {r.line_uid: Decimal(int(r.quantity_e5)) / inventory.SCALE for r in rows}


def post_void(
    conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str
) -> None:
    """A post-void: everything not yet returned comes back, its payments are refunded."""
    voided = txn.voided_txn_id
    if voided is None:
        raise InvalidRequest(
            "a post_void names the sale it voids",
            field=f"{path}.voided_txn_id",
            code="MISSING_REQUIRED_PARAMETER",
        )
    original_id = order_of(conn, voided)
    if original_id is None:
        raise InvalidRequest(
            f"sale {voided!r} is not known to the POS; ingest it before its post-void",
            field=f"{path}.voided_txn_id",
            code="NOT_FOUND",
        )
    original = orders.get_order(conn, original_id)
    if (original.get("metadata") or {}).get("kind") != "sale":
        raise InvalidRequest(f"{voided!r} is not a sale", field=f"{path}.voided_txn_id")
    returned = already_returned(conn, original_id)
    lines: list[Line] = []
    for item in original.get("line_items") or []:
        left = Decimal(item["quantity"]) - returned.get(item["uid"], Decimal(0))
        if left <= 0:
            continue
        share = left / Decimal(item["quantity"])
        lines.append(
            Line(
                line_no=len(lines) + 1,
                sku=item["metadata"]["sku"],
                name=item.get("name", ""),
                quantity=fmt_quantity(left),
                unit_price=int(item["base_price_money"]["amount"]),
                discount=part(item["total_discount_money"]["amount"], share),
                tax=part(item["total_tax_money"]["amount"], share),
                original_txn_id=voided,
                original_line_no=int(item["metadata"]["line_no"]),
            )
        )
    return_order(conn, store, txn, order_id, lines, voided)
    for i, payment in enumerate(payments_of(conn, voided)):
        amount = refunds.refundable(conn, payment["id"])
        if amount > 0 and payment["status"] == "COMPLETED":
            refunds.create_refund(
                conn,
                store,
                payment_id=payment["id"],
                amount=amount,
                currency=payment["amount_money"]["currency"],
                reason=f"post_void {txn.txn_id}"[:192],
                status="COMPLETED" if payment.get("source_type") == "CASH" else "PENDING",
                at=txn.completed_at,
                refund_id=stable_id("refund", txn.txn_id, i),
            )
    original["metadata"] = {**original["metadata"], "post_voided_by": txn.txn_id}
    orders.save(conn, store, original, expected_version=original["version"])
