"""Sales and cancels: a COMPLETED (or CANCELED) order, its payments and its stock."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from mocks.pos.engine import orders, payments
from mocks.pos.engine.ids import stable_id
from mocks.pos.engine.ingest.common import check_tenders, line_items, metadata_of, net_of
from mocks.pos.engine.pricing import money
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.timestamps import fmt
from mocks.pos.engine.transactions import Tender, Transaction

Record = dict[str, Any]


def payment_details(tender: Tender, currency: str) -> Record:
    """Square payment source fields for one register tender."""
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


def sale(conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str) -> None:
    """A sale: an order paid by one COMPLETED payment per tender, which completes it."""
    lines, overrides, taxes = line_items(conn, store, txn)
    total = sum(net_of(line) + line.tax for line in txn.lines if not line.voided)
    check_tenders(txn, total, path)
    spec: Record = {
        "location_id": txn.store_id,
        "reference_id": txn.txn_id[:40],
        "source": {"name": f"register {txn.register_id}"[:100]},
        "line_items": lines,
        "taxes": taxes,
        "metadata": metadata_of(txn),
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
            details=payment_details(tender, txn.currency),
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


def cancel(
    conn: sa.Connection, store: PosStore, txn: Transaction, order_id: str, path: str
) -> None:
    """A cancel: a CANCELED order with its lines, no money and no stock."""
    del path
    lines, overrides, taxes = line_items(conn, store, txn)
    orders.create_order(
        conn,
        store,
        {
            "location_id": txn.store_id,
            "reference_id": txn.txn_id[:40],
            "line_items": lines,
            "taxes": taxes,
            "metadata": metadata_of(txn),
        },
        order_id=order_id,
        source_txn_id=txn.txn_id,
        at=txn.completed_at,
        state="CANCELED",
        overrides=overrides,
        extra={"closed_at": fmt(txn.completed_at)},
    )
