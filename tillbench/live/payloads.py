"""Simulator documents → the mock POS driver's transaction JSON (``/driver/v1/transactions``).

Amounts in minor units, quantities as decimal strings, per-line tax apportioned from the
document's tax lines (``domain.line_taxes``) so lines add up to the document tax.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from domain import (
    Cancel,
    CardTender,
    CashTender,
    MobileTender,
    Money,
    PostVoid,
    Return,
    Sale,
    line_taxes,
)

__all__ = ["transaction_payload"]

Payload = dict[str, Any]


def _aware(moment: datetime, zone: ZoneInfo) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=zone)).isoformat()


def _qty(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text if "." not in text else text.rstrip("0").rstrip(".")


def _tender(tender: object) -> Payload:
    if isinstance(tender, CardTender):
        return {
            "kind": "card",
            "amount": tender.amount.minor_units(),
            "brand": str(getattr(tender.brand, "value", tender.brand)).upper(),
            "last4": tender.last4,
        }
    if isinstance(tender, CashTender):
        return {
            "kind": "cash",
            "amount": tender.amount.minor_units(),
            "tendered": tender.tendered.minor_units(),
            "change": tender.change.minor_units(),
        }
    if isinstance(tender, MobileTender):
        amount: Money = tender.amount
        return {
            "kind": "mobile",
            "amount": amount.minor_units(),
            "wallet": str(tender.wallet).upper()[:30],
        }
    other: Any = tender
    return {"kind": "other", "amount": other.amount.minor_units(), "other_kind": "OTHER"}


def _sale_lines(doc: Sale | Cancel) -> list[Payload]:
    active = [line for line in doc.lines if not line.voided]
    taxes: list[Money] = []
    if isinstance(doc, Sale) and active:
        taxes = line_taxes(
            [(line.tax_class, line.net) for line in active],
            doc.tax_lines,
            rule=doc.tax_rounding,
            rounding=doc.rounding,
        )
    tax_of = {line.line_no: tax for line, tax in zip(active, taxes, strict=False)}
    out = []
    for line in doc.lines:
        tax = tax_of.get(line.line_no)
        out.append(
            {
                "line_no": line.line_no,
                "sku": str(line.sku),
                "quantity": _qty(line.quantity),
                "unit_price": line.unit_price.minor_units(),
                "discount": line.discount_total.minor_units(),
                "net": line.net.minor_units(),
                "tax": tax.minor_units() if tax is not None else 0,
                "tax_rate": f"{line.tax_class.rate.normalize():f}",
                "voided": line.voided,
            }
        )
    return out


def _return_lines(doc: Return) -> list[Payload]:
    taxes = line_taxes(
        [(line.tax_class, line.net) for line in doc.lines],
        doc.tax_lines,
        rule=doc.tax_rounding,
        rounding=doc.rounding,
    )
    out = []
    for line, tax in zip(doc.lines, taxes, strict=True):
        entry: Payload = {
            "line_no": line.line_no,
            "sku": str(line.sku),
            "quantity": _qty(line.quantity),
            "unit_price": line.unit_price.minor_units(),
            "net": line.net.minor_units(),
            "tax": tax.minor_units(),
            "tax_rate": f"{line.tax_class.rate.normalize():f}",
        }
        if line.original_txn_id is not None:
            entry["original_txn_id"] = line.original_txn_id
            entry["original_line_no"] = line.original_line_no
        out.append(entry)
    return out


def transaction_payload(kind: str, doc: Any, *, zone: ZoneInfo) -> Payload:
    """The driver JSON of one simulator document (``kind``: sale|return|cancel|post_void)."""
    head: Payload = {
        "kind": kind,
        "txn_id": doc.txn_id,
        "store_id": doc.store_id,
        "register_id": doc.register_id,
        "cashier_id": doc.cashier_id,
    }
    if isinstance(doc, PostVoid):
        return {
            **head,
            "completed_at": _aware(doc.voided_at, zone),
            "voided_txn_id": doc.voided_txn_id,
        }
    if isinstance(doc, Cancel):
        return {
            **head,
            "completed_at": _aware(doc.cancelled_at, zone),
            "lines": _sale_lines(doc),
        }
    body: Payload = {
        **head,
        "completed_at": _aware(doc.completed_at, zone),
        "currency": doc.currency,
        "tenders": [_tender(t) for t in doc.tenders],
        "note": doc.notes or "",
    }
    if doc.customer_id:
        body["customer_id"] = doc.customer_id
    if isinstance(doc, Return):
        body["lines"] = _return_lines(doc)
        body["receipted"] = doc.receipted
    else:
        body["lines"] = _sale_lines(doc)
    return body
