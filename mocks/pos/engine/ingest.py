"""Ingestion of register transactions: what the real POS does when a till completes one.

- sale: a COMPLETED order (lines at the register's prices, discounts and tax), one
  COMPLETED payment per tender, IN_STOCK → SOLD at the completion time.
- return: a COMPLETED return order (`returns[].return_line_items`), refunds to the original
  payments when receipted (unlinked otherwise), NONE → IN_STOCK for the returned units.
- cancel: a CANCELED order; no money, no stock.
- post_void: the voided sale is returned in full (refunds of its payments, stock back) and
  the original order is annotated.

Ids are derived from `txn_id`, so a replayed transaction is recognised (status `exists`)
and nothing happens twice. Card refunds start PENDING and settle asynchronously.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa

from mocks.pos.engine import inventory, orders, payments, refunds
from mocks.pos.engine.catalog import variation_for_sku
from mocks.pos.engine.clock import fmt
from mocks.pos.engine.ids import stable_id
from mocks.pos.engine.locations import ensure_location
from mocks.pos.engine.pricing import Override, money
from mocks.pos.engine.quantities import fmt_quantity
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.tables import orders as orders_table
from mocks.pos.engine.tables import payments as payments_table
from mocks.pos.engine.tables import returned_lines
from mocks.pos.engine.transactions import Line, Tender, Transaction
from mocks.pos.errors import InvalidRequest

Record = dict[str, Any]


def ingest(conn: sa.Connection, store: PosStore, txn: Transaction, *, path: str) -> Record:
    """Apply one transaction; returns {txn_id, status, order_id}."""
    order_id = stable_id("order", txn.txn_id)
    exists = conn.execute(
        sa.select(orders_table.c.id).where(orders_table.c.source_txn_id == txn.txn_id)
    ).first()
    if exists is not None:
        return {"txn_id": txn.txn_id, "status": "exists", "order_id": exists.id}
    ensure_location(conn, store, txn.store_id, f"Store {txn.store_id}")
    handler = {"sale": _sale, "return": _return, "cancel": _cancel, "post_void": _post_void}
    handler[txn.kind](conn, store, txn, order_id, path)
    return {"txn_id": txn.txn_id, "status": "created", "order_id": order_id}


def _metadata(txn: Transaction) -> Record:
    meta = {"register_id": txn.register_id, "txn_id": txn.txn_id, "kind": txn.kind}
    if txn.cashier_id:
        meta["cashier_id"] = txn.cashier_id
    return meta


def _line_items(
    conn: sa.Connection, store: PosStore, txn: Transaction
) -> tuple[list[Record], list[Override], list[Record]]:
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
                "percentage": _pct(line.tax_rate),
                "type": "ADDITIVE",
                "scope": "LINE_ITEM",
            }
            item["applied_taxes"] = [{"uid": f"{uid}-{line.line_no}", "tax_uid": uid}]
        lines.append(item)
        overrides.append(
            Override(discount=line.discount, tax=line.tax, gross=_net(line) + line.discount)
        )
    return lines, overrides, list(taxes.values())


def _pct(rate: str) -> str:
    value = (Decimal(rate) * 100).normalize()
    return f"{value:f}"


def _check_tenders(txn: Transaction, total: int, path: str) -> None:
    paid = sum(t.amount for t in txn.tenders)
    if paid != total:
        raise InvalidRequest(
            f"tenders add up to {paid} but the transaction total is {total} (lines net + tax); "
            "make the tender amounts cover the total exactly",
            field=f"{path}.tenders",
        )


def _payment_details(tender: Tender, currency: str) -> Record:
    if tender.kind == "card":
        return {
            "source_type": "CARD",
            "card_details": payments.card_details(tender.brand, tender.last4, "EMV"),
        }
    if tender.kind == "cash":
        tendered = tender.tendered if tender.tendered is not None else tender.amount + tender.change
        return {
            "source_type": "CASH",
            "cash_details": {
                "buyer_supplied_money": money(tendered, currency),
                "change_back_money": money(tender.change, currency),
            },
        }
    if tender.kind == "mobile":
        return {
            "source_type": "WALLET",
            "wallet_details": {"status": "CAPTURED", "brand": tender.wallet},
        }
    return {
        "source_type": "EXTERNAL",
        "external_details": {"type": "OTHER", "source": tender.other_kind},
    }


def _sale(conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str) -> None:
    lines, overrides, taxes = _line_items(conn, store, txn)
    total = sum(_net(line) + line.tax for line in txn.lines if not line.voided)
    _check_tenders(txn, total, path)
    spec: Record = {
        "location_id": txn.store_id,
        "reference_id": txn.txn_id[:40],
        "source": {"name": f"register {txn.register_id}"[:100]},
        "line_items": lines,
        "taxes": taxes,
        "metadata": _metadata(txn),
    }
    if txn.customer_id:
        spec["customer_id"] = txn.customer_id
    if txn.note:
        spec["metadata"]["note"] = txn.note[:255]
    orders.create_order(
        conn,
        store,
        spec,
        order_id=order_id,
        source_txn_id=txn.txn_id,
        at=txn.completed_at,
        state="OPEN",
        overrides=overrides,
    )
    for i, tender in enumerate(txn.tenders):
        payments.create_payment(
            conn,
            store,
            amount=tender.amount,
            currency=txn.currency,
            details=_payment_details(tender, txn.currency),
            location_id=txn.store_id,
            order_id=order_id,
            status="COMPLETED",
            at=txn.completed_at,
            payment_id=stable_id("payment", txn.txn_id, i),
            extra={"reference_id": txn.txn_id[:40], "note": txn.note[:500]}
            if txn.note
            else {"reference_id": txn.txn_id[:40]},
        )
    if not txn.tenders:
        current = orders.get_order(conn, order_id)
        current["state"] = "COMPLETED"
        current["closed_at"] = fmt(txn.completed_at)
        orders.save(conn, store, current, expected_version=current["version"])
        orders.decrement_stock(conn, store, current)


def _part(amount: int, share: Decimal) -> int:
    return int((Decimal(int(amount)) * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _net(line: Line) -> int:
    if line.net is not None:
        return line.net
    gross = (Decimal(line.quantity) * line.unit_price).quantize(Decimal(1), ROUND_HALF_UP)
    return int(gross) - line.discount


def _return(
    conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str
) -> None:
    total = sum(_net(line) + line.tax for line in txn.lines if not line.voided)
    _check_tenders(txn, total, path)
    originals = {
        line.original_txn_id for line in txn.lines if line.original_txn_id and txn.receipted
    }
    source = next(iter(sorted(originals)), None)
    if source is not None and _order_of(conn, source) is None:
        source = None
    _return_order(
        conn, store, txn, order_id, [line for line in txn.lines if not line.voided], source
    )
    source_payments = _payments_of(conn, source) if source else []
    for i, tender in enumerate(txn.tenders):
        _refund(conn, store, txn, tender, i, order_id, source_payments)


def _order_of(conn: sa.Connection, txn_id: str) -> str | None:
    row = conn.execute(
        sa.select(orders_table.c.id).where(orders_table.c.source_txn_id == txn_id)
    ).first()
    return None if row is None else str(row.id)


def _payments_of(conn: sa.Connection, txn_id: str) -> list[Record]:
    order_id = _order_of(conn, txn_id)
    if order_id is None:
        return []
    rows = conn.execute(
        sa.select(payments_table.c.data)
        .where(payments_table.c.order_id == order_id)
        .order_by(payments_table.c.id)
    )
    return [dict(r.data) for r in rows]


def _refund(
    conn: sa.Connection,
    store: PosStore,
    txn: Transaction,
    tender: Tender,
    index: int,
    order_id: str,
    source_payments: list[Record],
) -> None:
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


def _return_order(
    conn: sa.Connection,
    store: PosStore,
    txn: Transaction,
    order_id: str,
    lines: list[Line],
    source_txn: str | None,
) -> None:
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
        gross = _net(line) + line.discount
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
                "total_money": money(_net(line) + line.tax, currency),
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
    total = sum(_net(line) + line.tax for line in lines)
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
        {"location_id": txn.store_id, "reference_id": txn.txn_id[:40], "metadata": _metadata(txn)},
        order_id=order_id,
        source_txn_id=txn.txn_id,
        at=txn.completed_at,
        state="COMPLETED",
        extra=extra,
    )
    if source_order:
        _record_returned(conn, source_order, lines)
    if changes:
        inventory.apply_changes(conn, store, changes)


def _record_returned(conn: sa.Connection, source_order: str, lines: list[Line]) -> None:
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


def _already_returned(conn: sa.Connection, source_order: str) -> dict[str, Decimal]:
    t = returned_lines.c
    rows = conn.execute(
        sa.select(t.line_uid, t.quantity_e5).where(t.source_order_id == source_order)
    )
    return {r.line_uid: Decimal(int(r.quantity_e5)) / inventory.SCALE for r in rows}


def _cancel(
    conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str
) -> None:
    del path
    lines, overrides, taxes = _line_items(conn, store, txn)
    orders.create_order(
        conn,
        store,
        {
            "location_id": txn.store_id,
            "reference_id": txn.txn_id[:40],
            "line_items": lines,
            "taxes": taxes,
            "metadata": _metadata(txn),
        },
        order_id=order_id,
        source_txn_id=txn.txn_id,
        at=txn.completed_at,
        state="CANCELED",
        overrides=overrides,
        extra={"closed_at": fmt(txn.completed_at)},
    )


def _post_void(
    conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str
) -> None:
    voided = txn.voided_txn_id
    if voided is None:
        raise InvalidRequest(
            "a post_void names the sale it voids",
            field=f"{path}.voided_txn_id",
            code="MISSING_REQUIRED_PARAMETER",
        )
    original_id = _order_of(conn, voided)
    if original_id is None:
        raise InvalidRequest(
            f"sale {voided!r} is not known to the POS; ingest it before its post-void",
            field=f"{path}.voided_txn_id",
            code="NOT_FOUND",
        )
    original = orders.get_order(conn, original_id)
    if (original.get("metadata") or {}).get("kind") != "sale":
        raise InvalidRequest(f"{voided!r} is not a sale", field=f"{path}.voided_txn_id")
    returned = _already_returned(conn, original_id)
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
                discount=_part(item["total_discount_money"]["amount"], share),
                tax=_part(item["total_tax_money"]["amount"], share),
                original_txn_id=voided,
                original_line_no=int(item["metadata"]["line_no"]),
            )
        )
    _return_order(conn, store, txn, order_id, lines, voided)
    for i, payment in enumerate(_payments_of(conn, voided)):
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
