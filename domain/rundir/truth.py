"""The ground truth (``truth/*.parquet``): what the simulated stores really did.

The simulator writes these tables; a load run writes ``transactions``, ``lines`` and
``tenders`` for what the POS accepted and copies the master data. Conventions:

- Money is ``int64`` minor units in columns named ``*_minor``; the currency is the
  ``currency`` column of ``transactions`` and ``catalog`` (one currency per run).
- Times are ``timestamp[us]`` *local wall time* in the scenario's time zone (no zone
  attached: the zone is the ``timezone`` column of ``stores`` and the scenario's
  ``timezone``), plus ``t`` columns: ``float64`` seconds since the scenario start. Wall
  time is ``start + t``: the simulated clock does not jump at daylight-saving changes.
- Low-cardinality strings (ids of stores and SKUs, kinds, classes) are dictionary encoded.
- Quantities are whole units (``int32``); stock deltas are signed.

Stock identities (per store and SKU, checked by the simulator's tests)::

    initial + receipts - sold + returned - shrink = physical
    pos_book = physical + shrink

``sold`` counts non-voided lines of ``sale`` documents; ``returned`` counts return lines
and the lines of sales reversed by a ``post_void``.
"""

from __future__ import annotations

import pyarrow as pa

from domain.rundir._model import LOCAL_TIME, MINOR, SIM_S, UNITS, Column, Need, Producer, Table

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
    "TENDERS",
    "TRANSACTIONS",
    "TRUTH",
]

_ID = pa.dictionary(pa.int32(), pa.string())
_TS = pa.timestamp("us")
_STR = pa.string()
_I32 = pa.int32()
_I64 = pa.int64()
_F64 = pa.float64()
_SIM = (Producer.SIMULATOR,)
_SIM_LOAD = (Producer.SIMULATOR, Producer.LOAD)


def _c(name: str, kind: pa.DataType, doc: str, unit: str = "", *, nullable: bool = False) -> Column:
    """A truth column: not nullable unless said."""
    return Column(name, kind, doc, unit, nullable=nullable)


def _money(name: str, doc: str) -> Column:
    return _c(name, _I64, doc, MINOR)


_TXN_ID = _c("txn_id", _STR, "POS transaction id")
_STORE = _c("store_id", _ID, "store")
_SKU = _c("sku", _ID, "SKU")
_T = _c("t", _F64, "seconds since the scenario start", SIM_S)

TRANSACTIONS = Table(
    "truth/transactions",
    "One row per POS document: sale, return, cancel or post-void",
    (
        _TXN_ID,
        _c("kind", _ID, "sale | return | cancel | post_void"),
        _STORE,
        _c("register_id", _ID, "lane"),
        _c("lane", _ID, "staffed | self_checkout"),
        _c("cashier_id", _ID, "cashier"),
        _c("customer_id", _STR, "loyalty customer (null if anonymous)", nullable=True),
        _c("business_day", pa.date32(), "store's business day"),
        _c("arrived_at", _TS, "customer joined the queue", LOCAL_TIME),
        _c("started_at", _TS, "service started", LOCAL_TIME),
        _c("completed_at", _TS, "the POS saw the document", LOCAL_TIME),
        _T,
        _c("currency", _ID, "ISO 4217 currency"),
        _c("lines", _I32, "number of lines"),
        _c("units", _I32, "units on non-voided lines", UNITS),
        _money("subtotal_minor", "sum of the line nets, voided lines excluded"),
        _money("discount_minor", "discounts of the non-voided lines"),
        _money("tax_minor", "tax of the document"),
        _money("total_minor", "subtotal + tax; for a return, the refund"),
        _c("receipted", pa.bool_(), "return with a receipt (returns only)", nullable=True),
        _c(
            "original_txn_id",
            _STR,
            "sale a return or post-void refers to",
            nullable=True,
        ),
        _c("notes", _STR, "free text typed at the till"),
    ),
    _SIM_LOAD,
    Need.REQUIRED,
    doc=(
        "completed_at is when the POS sees it (end of service; for a post_void, when the "
        "manager reversed original_txn_id). Totals: subtotal is the sum of line nets (voided "
        "lines excluded), total = subtotal + tax; for a return, the refund. receipted is set "
        "on returns only."
    ),
)

LINES = Table(
    "truth/lines",
    "One row per document line (sale lines, voided lines, return lines)",
    (
        _TXN_ID,
        _c("line_no", _I32, "line number"),
        _STORE,
        _SKU,
        _c("gtin", _ID, "GTIN barcode"),
        _c("quantity", _I32, "units (signed for movements)", UNITS),
        _money("unit_price_minor", "unit price"),
        _money("gross_minor", "quantity × unit price"),
        _money("discount_minor", "line discount"),
        _money("net_minor", "gross − discount"),
        _c("tax_class", _ID, "tax class"),
        _c("voided", pa.bool_(), "line voided before tender"),
        _c("original_txn_id", _STR, "sale a return line refers to", nullable=True),
        _c("original_line_no", _I32, "line of the original sale", nullable=True),
        _T,
    ),
    _SIM_LOAD,
    Need.REQUIRED,
    doc=(
        "Lines of sales, cancels and returns (post-voids have no lines of their own). "
        "net = gross - discount; voided lines are kept and excluded from totals and stock. "
        "Return lines reference the original sale line when receipted."
    ),
)

TENDERS = Table(
    "truth/tenders",
    "One row per tender of a sale or refund tender of a return",
    (
        _TXN_ID,
        _c("tender_no", _I32, "tender number"),
        _c("kind", _ID, "credit | debit | cash | mobile | other"),
        _money("amount_minor", "amount paid (a sale) or refunded (a return)"),
        _money("tendered_minor", "amount handed over"),
        _money("change_minor", "change given back"),
        _c("brand", _ID, "card brand (cards only)", nullable=True),
        _c("last4", _STR, "last four card digits (cards only)", nullable=True),
        _c("detail", _ID, "wallet of a mobile tender, kind of an other tender", nullable=True),
    ),
    _SIM_LOAD,
    Need.OPTIONAL,
    doc=(
        "Payment of a sale (amount = total) or refund tender of a return (amount = refund). "
        "Cards carry brand and last four only. tendered - change = amount."
    ),
)

QUEUE = Table(
    "truth/queue",
    "One row per customer served at a lane (waits and queue lengths)",
    (
        _STORE,
        _c("lane", _ID, "staffed | self_checkout"),
        _c("register_id", _ID, "lane"),
        _TXN_ID,
        _c("arrival_t", _F64, "arrival at the lane's queue", SIM_S),
        _c("start_t", _F64, "start of service", SIM_S),
        _c("end_t", _F64, "end of service", SIM_S),
        _c("wait_s", _F64, "start_t - arrival_t", SIM_S),
        _c("queue_length", _I32, "customers waiting on arrival", "customers"),
    ),
    _SIM,
    doc=(
        "Arrival at the lane type's single FIFO line, start and end of service (seconds "
        "since scenario start), wait = start - arrival, and queue_length = customers waiting "
        "(not in service) at that lane type on arrival."
    ),
)

STOCK_MOVEMENTS = Table(
    "truth/stock_movements",
    "One row per stock movement that is not a POS document: receipts and shrink",
    (
        _STORE,
        _SKU,
        _c("kind", _ID, "receipt | shrink (domain.StockMovementKind values)"),
        _c("quantity", _I32, "units (signed: shrink is negative)", UNITS),
        _c("occurred_at", _TS, "when it happened", LOCAL_TIME),
        _T,
        _c("ref", _STR, "delivery or loss reference"),
    ),
    _SIM,
    doc=(
        "Movements that are not POS documents: receipt (delivery; both physical and POS "
        "book) and shrink (unrecorded loss; physical only, quantity negative). Sales, "
        "returns and post-voids move stock through their lines."
    ),
)

STOCK_OUTS = Table(
    "truth/stock_outs",
    "One row per line a customer could not buy in full (lost units)",
    (
        _STORE,
        _SKU,
        _c("occurred_at", _TS, "when it happened", LOCAL_TIME),
        _T,
        _c("txn_id", _STR, "POS transaction id (null: the customer left)", nullable=True),
        _c("requested", _I32, "units the customer wanted", UNITS),
        _c("sold", _I32, "units sold", UNITS),
        _c("lost", _I32, "units not sold for lack of stock", UNITS),
    ),
    _SIM,
    doc=(
        "A customer wanted `requested` units but the shelf held only `sold`; txn_id is null "
        "when the customer left without buying anything."
    ),
)

STOCK_FINAL = Table(
    "truth/stock_final",
    "One row per store and SKU: the ledgers at the end of the run",
    (
        _STORE,
        _SKU,
        _c("initial", _I64, "stock at the start", UNITS),
        _c("receipts", _I64, "units received", UNITS),
        _c("sold", _I64, "units sold", UNITS),
        _c("returned", _I64, "units returned", UNITS),
        _c("shrink", _I64, "units lost unrecorded", UNITS),
        _c("physical", _I64, "physical stock at the end", UNITS),
        _c("pos_book", _I64, "POS book at the end", UNITS),
    ),
    _SIM,
    Need.OPTIONAL,
    doc="Physical includes returned units not yet shelved.",
)

CATALOG = Table(
    "truth/catalog",
    "One row per SKU: the chain's assortment",
    (
        _c("sku", _STR, "SKU"),
        _c("gtin", _STR, "GTIN barcode"),
        _c("name", _STR, "name"),
        _c("brand", _STR, "product brand"),
        _c("category", _STR, "merchandise category"),
        _c("tax_class", _ID, "tax class"),
        _c("tax_rate", _STR, "tax rate as a decimal string, e.g. 0.0825"),
        _money("price_minor", "shelf price"),
        _money("cost_minor", "unit cost"),
        _c("currency", _ID, "ISO 4217 currency"),
        _c("popularity", _F64, "probability a line picks the SKU"),
    ),
    _SIM_LOAD,
    Need.OPTIONAL,
    doc="Popularity is the probability that a line picks the SKU.",
)

STORES = Table(
    "truth/stores",
    "One row per store of the chain",
    (
        _c("store_id", _STR, "store"),
        _c("name", _STR, "name"),
        _c("address", _STR, "postal address"),
        _c("timezone", _STR, "IANA time zone"),
        _c("size_class", _ID, "store size class"),
        _c("size_factor", _F64, "traffic and lane scale (mean 1)"),
        _c("registers", _I32, "staffed registers"),
        _c("self_checkouts", _I32, "self-checkout lanes"),
    ),
    _SIM_LOAD,
    doc="size_factor scales traffic and lanes (lognormal, mean 1).",
)

REGISTERS = Table(
    "truth/registers",
    "One row per lane: staffed register or self-checkout",
    (
        _c("register_id", _STR, "lane"),
        _STORE,
        _c("kind", _ID, "staffed | self_checkout"),
    ),
    _SIM_LOAD,
    doc="Staffed registers S0001-R01.. and self-checkouts S0001-K01..",
)

CASHIERS = Table(
    "truth/cashiers",
    "One row per cashier",
    (
        _c("cashier_id", _STR, "cashier"),
        _STORE,
        _c("name", _STR, "name"),
    ),
    _SIM_LOAD,
    doc="Self-checkout sales carry the attendant's id.",
)

CUSTOMERS = Table(
    "truth/customers",
    "One row per loyalty customer of the chain (shared by all stores)",
    (
        _c("customer_id", _STR, "loyalty customer"),
        _c("name", _STR, "name"),
        _c("email", _STR, "e-mail"),
        _c("loyalty_id", _STR, "loyalty card number"),
    ),
    _SIM_LOAD,
)

TRUTH: tuple[Table, ...] = (
    TRANSACTIONS,
    LINES,
    TENDERS,
    QUEUE,
    STOCK_MOVEMENTS,
    STOCK_OUTS,
    STOCK_FINAL,
    CATALOG,
    STORES,
    REGISTERS,
    CASHIERS,
    CUSTOMERS,
)
"""Every truth table, in the order the documentation lists them."""
