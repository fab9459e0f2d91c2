"""Rebuild `domain` documents (Sale, Return, Cancel, PostVoid) from truth-table rows.

Used by `iter_events` for live runs and by the tests that check every generated sale
against the domain invariants. ``domain`` recomputes line nets, tax and totals from the
rows; they must agree to the minor unit with the simulator's own arithmetic.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pyarrow as pa

from domain import (
    Cancel,
    CardTender,
    CashTender,
    Discount,
    Gtin,
    MobileTender,
    Money,
    OtherTender,
    PostVoid,
    Return,
    ReturnLine,
    Sale,
    SaleLine,
    Sku,
    TaxClass,
    Tender,
)

__all__ = ["Document", "build_documents"]

Document = Sale | Return | Cancel | PostVoid
PROMO_REASON = "promotion"


def build_documents(
    transactions: pa.Table,
    lines: pa.Table,
    tenders: pa.Table,
    *,
    tax_rates: dict[str, Decimal],
    tax_rounding: str,
    rounding: str,
) -> Iterator[tuple[dict[str, Any], Document]]:
    """(transaction row, document) for every row of ``transactions``, in table order.

    ``lines`` and ``tenders`` must hold at least the rows of those transactions.
    """
    classes = {name: TaxClass(name, rate) for name, rate in tax_rates.items()}
    by_txn: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in lines.to_pylist():
        by_txn[row["txn_id"]].append(row)
    paid: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in tenders.to_pylist():
        paid[row["txn_id"]].append(row)
    for row in transactions.to_pylist():
        yield row, _document(row, by_txn, paid, classes, tax_rounding, rounding)


def _document(
    row: dict[str, Any],
    by_txn: dict[str, list[dict[str, Any]]],
    paid: dict[str, list[dict[str, Any]]],
    classes: dict[str, TaxClass],
    tax_rounding: str,
    rounding: str,
) -> Document:
    cur = row["currency"]
    txn = row["txn_id"]
    kind = row["kind"]
    head = {
        "txn_id": txn,
        "store_id": row["store_id"],
        "register_id": row["register_id"],
        "cashier_id": row["cashier_id"],
        "business_day": row["business_day"],
    }
    if kind == "post_void":
        return PostVoid(voided_txn_id=row["original_txn_id"], voided_at=row["completed_at"], **head)
    rows = sorted(by_txn.get(txn, []), key=lambda r: r["line_no"])
    if kind == "cancel":
        return Cancel(
            started_at=row["started_at"],
            cancelled_at=row["completed_at"],
            lines=[_sale_line(r, cur, classes) for r in rows],
            **head,
        )
    common = {
        **head,
        "customer_id": row["customer_id"],
        "started_at": row["started_at"],
        "completed_at": row["completed_at"],
        "currency": cur,
        "tenders": [
            _tender(t, cur) for t in sorted(paid.get(txn, []), key=lambda t: t["tender_no"])
        ],
        "tax_rounding": tax_rounding,
        "rounding": rounding,
        "notes": row["notes"],
    }
    if kind == "return":
        return Return(
            lines=[
                ReturnLine(
                    r["line_no"],
                    Sku(r["sku"]),
                    Decimal(r["quantity"]),
                    Money.from_minor(r["unit_price_minor"], cur),
                    classes[r["tax_class"]],
                    r["original_txn_id"],
                    r["original_line_no"],
                )
                for r in rows
            ],
            receipted=bool(row["receipted"]),
            **common,
        )
    return Sale(lines=[_sale_line(r, cur, classes) for r in rows], **common)


def _sale_line(r: dict[str, Any], cur: str, classes: dict[str, TaxClass]) -> SaleLine:
    discounts = (
        (Discount(PROMO_REASON, Money.from_minor(r["discount_minor"], cur)),)
        if r["discount_minor"]
        else ()
    )
    return SaleLine(
        r["line_no"],
        Sku(r["sku"]),
        Gtin(r["gtin"]),
        Decimal(r["quantity"]),
        Money.from_minor(r["unit_price_minor"], cur),
        discounts,
        classes[r["tax_class"]],
        voided=r["voided"],
    )


def _tender(t: dict[str, Any], cur: str) -> Tender:
    amount = Money.from_minor(t["amount_minor"], cur)
    kind = t["kind"]
    if kind in ("credit", "debit"):
        return CardTender(amount, t["brand"], t["last4"], kind)
    if kind == "cash":
        return CashTender(
            amount,
            Money.from_minor(t["tendered_minor"], cur),
            Money.from_minor(t["change_minor"], cur),
        )
    if kind == "mobile":
        return MobileTender(amount, t["detail"])
    return OtherTender(amount, t["detail"] or kind)
