"""The ERP at the end of the run (``erp/*.parquet`` besides the journal): documents and
their lines, customers, items and the ERP-side price changes the harness made.

The live harness collects them through the ERP's public API (the mock Business Central or a
real Tryton, mapped to the same columns); the capacity model writes documents and lines as
its model posted them. ``committed_t`` puts the ERP's commit on the run's simulated clock.
"""

from __future__ import annotations

import pyarrow as pa

from domain.rundir._model import EPOCH_S, MINOR, SIM_S, UNITS, Column, Need, Producer, Table

__all__ = ["ERP_CUSTOMERS", "ERP_DOCUMENTS", "ERP_DOCUMENT_LINES", "ERP_ITEMS", "PRICE_CHANGES"]

_S = pa.string()
_I = pa.int64()
_F = pa.float64()
_LIVE = (Producer.LIVE, Producer.LOAD)

ERP_DOCUMENTS = Table(
    "erp/documents",
    "One row per ERP document at the end: invoice, credit memo or item journal line",
    (
        Column("document_id", _S, "ERP document id"),
        Column("kind", _S, "invoice | credit_memo | journal"),
        Column("external_document_number", _S, "= truth txn_id"),
        Column(
            "number",
            _S,
            "the ERP's own document number (two documents sharing one fail the verdict; "
            "not in simulations)",
            writers=_LIVE,
        ),
        Column(
            "store_id",
            _S,
            "store (location code; for an invoice or credit memo, its lines' location); "
            "compared with the POS transaction's store",
        ),
        Column("status", _S, "ERP document status (e.g. posted; Draft is not posted)"),
        Column("total_minor", _I, "document total, tax included", MINOR),
        Column("tax_minor", _I, "document tax", MINOR),
        Column("currency", _S, "document currency", "ISO 4217"),
        Column("created_wall", _F, "ERP timestamp (null in simulations)", EPOCH_S),
        Column("committed_t", _F, "(created_wall - wall_origin) × speed", SIM_S),
        Column(
            "tender_kinds",
            _S,
            "comma-separated tender kinds the ERP recorded (no bundled collector writes it; "
            "verification compares tenders when present)",
            writers=(),
        ),
    ),
    (*_LIVE, Producer.MODEL),
    Need.REQUIRED,
)

ERP_DOCUMENT_LINES = Table(
    "erp/document_lines",
    "One row per ERP document line",
    (
        Column("document_id", _S, "ERP document id"),
        Column("line_no", pa.int32(), "line number within the document"),
        Column("sku", _S, "SKU"),
        Column(
            "store_id",
            _S,
            "the line's store (location code; written for ERPs that keep one per line, "
            "null otherwise); verification compares it with the POS transaction's store "
            "(without it, the document's store_id)",
            writers=_LIVE,
        ),
        Column("quantity", _F, "signed quantity as the ERP holds it", UNITS),
        Column("unit_price_minor", _I, "unit price as posted", MINOR),
        Column("discount_minor", _I, "line discount", MINOR),
        Column("tax_minor", _I, "line tax", MINOR),
        Column("description", _S, "free text as posted (scanned for card numbers)"),
    ),
    (*_LIVE, Producer.MODEL),
    Need.REQUIRED,
)

ERP_CUSTOMERS = Table(
    "erp/customers",
    "One row per ERP customer at the end",
    (
        Column("id", _S, "ERP customer id"),
        Column("number", _S, "the ERP's customer number"),
        Column("name", _S, "name"),
        Column("email", _S, "e-mail (duplicates = duplicate profiles)"),
    ),
    _LIVE,
    Need.OPTIONAL,
)

ERP_ITEMS = Table(
    "erp/items",
    "One row per ERP item at the end",
    (
        Column("sku", _S, "SKU"),
        Column("unit_price_minor", _I, "ERP price (source of truth)", MINOR),
        Column("name", _S, "item name"),
    ),
    _LIVE,
    Need.OPTIONAL,
)

PRICE_CHANGES = Table(
    "erp/price_changes",
    "One row per ERP-side price change or new item the harness made",
    (
        Column("sku", _S, "SKU"),
        Column("t", _F, "when the ERP acknowledged it (null: never applied)", SIM_S),
        Column("wall", _F, "t on the wall clock", EPOCH_S),
        Column("unit_price_minor", _I, "the new price", MINOR),
        Column("kind", _S, "price_change | new_item"),
        Column("error", _S, "why the ERP refused it, if it did"),
    ),
    (Producer.LIVE,),
    Need.OPTIONAL,
    doc="Verification compares each sale line with the ERP price in force at its time.",
)
