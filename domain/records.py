"""Schemas of the ground-truth tables in a run directory (``run/truth/*.parquet``).

The simulator writes these tables and ``reports`` reads them; this module is the contract
between the two. Conventions:

- Money is ``int64`` minor units in columns named ``*_minor``; the currency is the
  ``currency`` column of ``transactions`` and ``catalog`` (one currency per run).
- Times are ``timestamp[us]`` *local wall time* in the scenario's time zone (no zone
  attached: the zone is the ``timezone`` column of ``stores`` and the scenario's
  ``timezone``), plus ``t`` columns: ``float64`` seconds since the scenario start. Wall
  time is ``start + t``: the simulated clock does not jump at daylight-saving changes.
- Low-cardinality strings (ids of stores and SKUs, kinds, classes) are dictionary encoded.
- Quantities are whole units (``int32``); stock deltas are signed.

Tables and their grain:

==================  =====================================================================
``transactions``    one row per POS document: sale, return, cancel or post-void
``lines``           one row per document line (sale lines, voided lines, return lines)
``tenders``         one row per tender of a sale or refund tender of a return
``queue``           one row per customer served at a lane (waits and queue lengths)
``stock_movements`` non-transactional stock movements: receipts and (unrecorded) shrink
``stock_outs``      one row per line a customer could not buy in full (lost units)
``stock_final``     one row per store and SKU: the ledgers at the end of the run
``catalog``         one row per SKU
``stores``          one row per store
``registers``       one row per lane (staffed register or self-checkout)
``cashiers``        one row per cashier
``customers``       one row per loyalty customer
==================  =====================================================================

Stock identities (per store and SKU, checked by the simulator's tests)::

    initial + receipts - sold + returned - shrink = physical
    pos_book = physical + shrink

``sold`` counts non-voided lines of ``sale`` documents; ``returned`` counts return lines
and the lines of sales reversed by a ``post_void``.
"""

from __future__ import annotations

import pyarrow as pa

__all__ = [
    "CASHIERS",
    "CATALOG",
    "CUSTOMERS",
    "LINES",
    "QUEUE",
    "REGISTERS",
    "STOCK_FINAL",
    "STOCK_MOVEMENTS",
    "STOCK_OUTS",
    "STORES",
    "TABLES",
    "TENDERS",
    "TRANSACTIONS",
]

_ID = pa.dictionary(pa.int32(), pa.string())
_TS = pa.timestamp("us")


def _schema(*fields: pa.Field, doc: str) -> pa.Schema:
    return pa.schema(list(fields), metadata={"doc": doc})


TRANSACTIONS = _schema(
    pa.field("txn_id", pa.string(), nullable=False),
    pa.field("kind", _ID, nullable=False),  # sale | return | cancel | post_void
    pa.field("store_id", _ID, nullable=False),
    pa.field("register_id", _ID, nullable=False),
    pa.field("lane", _ID, nullable=False),  # staffed | self_checkout
    pa.field("cashier_id", _ID, nullable=False),
    pa.field("customer_id", pa.string()),
    pa.field("business_day", pa.date32(), nullable=False),
    pa.field("arrived_at", _TS, nullable=False),
    pa.field("started_at", _TS, nullable=False),
    pa.field("completed_at", _TS, nullable=False),
    pa.field("t", pa.float64(), nullable=False),
    pa.field("currency", _ID, nullable=False),
    pa.field("lines", pa.int32(), nullable=False),
    pa.field("units", pa.int32(), nullable=False),
    pa.field("subtotal_minor", pa.int64(), nullable=False),
    pa.field("discount_minor", pa.int64(), nullable=False),
    pa.field("tax_minor", pa.int64(), nullable=False),
    pa.field("total_minor", pa.int64(), nullable=False),
    pa.field("receipted", pa.bool_()),
    pa.field("original_txn_id", pa.string()),
    pa.field("notes", pa.string(), nullable=False),
    doc=(
        "One POS document. completed_at is when the POS sees it (end of service; for a "
        "post_void, when the manager reversed original_txn_id). Totals: subtotal is the sum "
        "of line nets (voided lines excluded), total = subtotal + tax; for a return, the "
        "refund. receipted is set on returns only."
    ),
)

LINES = _schema(
    pa.field("txn_id", pa.string(), nullable=False),
    pa.field("line_no", pa.int32(), nullable=False),
    pa.field("store_id", _ID, nullable=False),
    pa.field("sku", _ID, nullable=False),
    pa.field("gtin", _ID, nullable=False),
    pa.field("quantity", pa.int32(), nullable=False),
    pa.field("unit_price_minor", pa.int64(), nullable=False),
    pa.field("gross_minor", pa.int64(), nullable=False),
    pa.field("discount_minor", pa.int64(), nullable=False),
    pa.field("net_minor", pa.int64(), nullable=False),
    pa.field("tax_class", _ID, nullable=False),
    pa.field("voided", pa.bool_(), nullable=False),
    pa.field("original_txn_id", pa.string()),
    pa.field("original_line_no", pa.int32()),
    pa.field("t", pa.float64(), nullable=False),
    doc=(
        "Lines of sales, cancels and returns (post-voids have no lines of their own). "
        "net = gross - discount; voided lines are kept and excluded from totals and stock. "
        "Return lines reference the original sale line when receipted."
    ),
)

TENDERS = _schema(
    pa.field("txn_id", pa.string(), nullable=False),
    pa.field("tender_no", pa.int32(), nullable=False),
    pa.field("kind", _ID, nullable=False),  # credit | debit | cash | mobile | other
    pa.field("amount_minor", pa.int64(), nullable=False),
    pa.field("tendered_minor", pa.int64(), nullable=False),
    pa.field("change_minor", pa.int64(), nullable=False),
    pa.field("brand", _ID),
    pa.field("last4", pa.string()),
    pa.field("detail", _ID),  # wallet of a mobile tender, kind of an other tender
    doc=(
        "Payment of a sale (amount = total) or refund tender of a return (amount = refund). "
        "Cards carry brand and last four only. tendered - change = amount."
    ),
)

QUEUE = _schema(
    pa.field("store_id", _ID, nullable=False),
    pa.field("lane", _ID, nullable=False),
    pa.field("register_id", _ID, nullable=False),
    pa.field("txn_id", pa.string(), nullable=False),
    pa.field("arrival_t", pa.float64(), nullable=False),
    pa.field("start_t", pa.float64(), nullable=False),
    pa.field("end_t", pa.float64(), nullable=False),
    pa.field("wait_s", pa.float64(), nullable=False),
    pa.field("queue_length", pa.int32(), nullable=False),
    doc=(
        "One row per customer served: arrival at the lane type's single FIFO line, start "
        "and end of service (seconds since scenario start), wait = start - arrival, and "
        "queue_length = customers waiting (not in service) at that lane type on arrival."
    ),
)

STOCK_MOVEMENTS = _schema(
    pa.field("store_id", _ID, nullable=False),
    pa.field("sku", _ID, nullable=False),
    pa.field("kind", _ID, nullable=False),  # receipt | shrink (domain.StockMovementKind values)
    pa.field("quantity", pa.int32(), nullable=False),
    pa.field("occurred_at", _TS, nullable=False),
    pa.field("t", pa.float64(), nullable=False),
    pa.field("ref", pa.string(), nullable=False),
    doc=(
        "Movements that are not POS documents: receipt (delivery; both physical and POS "
        "book) and shrink (unrecorded loss; physical only, quantity negative). Sales, "
        "returns and post-voids move stock through their lines."
    ),
)

STOCK_OUTS = _schema(
    pa.field("store_id", _ID, nullable=False),
    pa.field("sku", _ID, nullable=False),
    pa.field("occurred_at", _TS, nullable=False),
    pa.field("t", pa.float64(), nullable=False),
    pa.field("txn_id", pa.string()),
    pa.field("requested", pa.int32(), nullable=False),
    pa.field("sold", pa.int32(), nullable=False),
    pa.field("lost", pa.int32(), nullable=False),
    doc=(
        "A customer wanted `requested` units but the shelf held only `sold`; txn_id is null "
        "when the customer left without buying anything."
    ),
)

STOCK_FINAL = _schema(
    pa.field("store_id", _ID, nullable=False),
    pa.field("sku", _ID, nullable=False),
    pa.field("initial", pa.int64(), nullable=False),
    pa.field("receipts", pa.int64(), nullable=False),
    pa.field("sold", pa.int64(), nullable=False),
    pa.field("returned", pa.int64(), nullable=False),
    pa.field("shrink", pa.int64(), nullable=False),
    pa.field("physical", pa.int64(), nullable=False),
    pa.field("pos_book", pa.int64(), nullable=False),
    doc="Ledgers at the end of the run; physical includes returned units not yet shelved.",
)

CATALOG = _schema(
    pa.field("sku", pa.string(), nullable=False),
    pa.field("gtin", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("brand", pa.string(), nullable=False),
    pa.field("category", pa.string(), nullable=False),
    pa.field("tax_class", _ID, nullable=False),
    pa.field("tax_rate", pa.string(), nullable=False),  # decimal string, e.g. "0.0825"
    pa.field("price_minor", pa.int64(), nullable=False),
    pa.field("cost_minor", pa.int64(), nullable=False),
    pa.field("currency", _ID, nullable=False),
    pa.field("popularity", pa.float64(), nullable=False),
    doc="The chain's assortment; popularity is the probability that a line picks the SKU.",
)

STORES = _schema(
    pa.field("store_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("address", pa.string(), nullable=False),
    pa.field("timezone", pa.string(), nullable=False),
    pa.field("size_class", _ID, nullable=False),
    pa.field("size_factor", pa.float64(), nullable=False),
    pa.field("registers", pa.int32(), nullable=False),
    pa.field("self_checkouts", pa.int32(), nullable=False),
    doc="Stores of the chain; size_factor scales traffic and lanes (lognormal, mean 1).",
)

REGISTERS = _schema(
    pa.field("register_id", pa.string(), nullable=False),
    pa.field("store_id", _ID, nullable=False),
    pa.field("kind", _ID, nullable=False),  # staffed | self_checkout
    doc="Lanes: staffed registers S0001-R01.. and self-checkouts S0001-K01..",
)

CASHIERS = _schema(
    pa.field("cashier_id", pa.string(), nullable=False),
    pa.field("store_id", _ID, nullable=False),
    pa.field("name", pa.string(), nullable=False),
    doc="Cashiers; self-checkout sales carry the attendant's id.",
)

CUSTOMERS = _schema(
    pa.field("customer_id", pa.string(), nullable=False),
    pa.field("name", pa.string(), nullable=False),
    pa.field("email", pa.string(), nullable=False),
    pa.field("loyalty_id", pa.string(), nullable=False),
    doc="Loyalty customers of the chain (shared by all stores).",
)

TABLES: dict[str, pa.Schema] = {
    "transactions": TRANSACTIONS,
    "lines": LINES,
    "tenders": TENDERS,
    "queue": QUEUE,
    "stock_movements": STOCK_MOVEMENTS,
    "stock_outs": STOCK_OUTS,
    "stock_final": STOCK_FINAL,
    "catalog": CATALOG,
    "stores": STORES,
    "registers": REGISTERS,
    "cashiers": CASHIERS,
    "customers": CUSTOMERS,
}
"""Every truth table by file stem (``truth/<name>.parquet``)."""
