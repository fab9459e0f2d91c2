"""Observations over time (``samples/*.parquet``): both stock books, the connector's
counters, ERP → POS price sync, and the capacity model's aggregates."""

from __future__ import annotations

import pyarrow as pa

from domain.rundir._model import EPOCH_S, MINOR, SIM_S, UNITS, Column, Need, Producer, Table

__all__ = ["CONNECTOR", "DRIFT", "ERP_SAMPLES", "PRICES", "STOCK"]

_S = pa.string()
_I = pa.int64()
_F = pa.float64()
_T = Column("t", _F, "sample time", SIM_S)
_WALL = Column("wall", _F, "t on the wall clock (null in a simulation)", EPOCH_S)

STOCK = Table(
    "samples/stock",
    "One row per store × SKU per stock sample",
    (
        Column("sample_id", _I, "sample round"),
        Column("t", _F, "when the round was taken", SIM_S),
        _WALL,
        Column("store_id", _S, "store"),
        Column("sku", _S, "SKU"),
        Column("pos_qty", _F, "POS book (null if unreadable)", UNITS),
        Column("erp_qty", _F, "ERP book (null if unreadable)", UNITS),
    ),
    (Producer.LIVE, Producer.MODEL, Producer.LOAD),
    Need.OPTIONAL,
    doc=(
        "Integration drift = erp_qty − pos_qty; the last round is the end state. The "
        "capacity model keeps a bounded set of pairs (samples/drift aggregates all of them)."
    ),
)

DRIFT = Table(
    "samples/drift",
    "One row per sample time, aggregated over every store × SKU pair",
    (
        _T,
        Column("abs_units", _I, "Σ|ERP book − POS book| over all pairs", UNITS),
        Column("pairs_off", _I, "pairs whose ERP and POS books differ", "pairs"),
        Column("max_abs", _I, "largest |ERP − POS| of any pair", UNITS),
        Column(
            "oversell_units",
            _I,
            "oversell exposure: units the ERP still shows that the stores have sold "
            "(docs/capacity-model.md)",
            UNITS,
        ),
    ),
    (Producer.MODEL,),
)

_COUNTER = "so far (cumulative; null when the connector does not report it)"

CONNECTOR = Table(
    "samples/connector",
    "One row per connector /metrics sample",
    (
        _T,
        _WALL,
        Column("backlog", _F, "queued, not yet committed in the ERP", "documents"),
        Column("posted", _F, f"committed {_COUNTER}", "documents"),
        Column("retries", _F, f"retries {_COUNTER}", "requests"),
        Column("dead_letters", _F, f"given up {_COUNTER}", "documents"),
        Column("erp_calls", _F, f"ERP calls {_COUNTER} (live)", "requests", (Producer.LIVE,)),
        Column(
            "erp_status_503",
            _F,
            f"ERP 503s (busy, locked) {_COUNTER} (live)",
            "answers",
            (Producer.LIVE,),
        ),
        Column(
            "erp_retries", _F, f"ERP calls retried {_COUNTER} (live)", "requests", (Producer.LIVE,)
        ),
    ),
    (Producer.LIVE, Producer.MODEL),
    Need.OPTIONAL,
    doc=(
        "The connector's GET /metrics counters (the capacity model's: its own). Verification "
        "counts API calls from erp_calls when there is no ERP journal (a real ERP such as "
        "Tryton); restarts are bridged: a counter that drops starts adding again."
    ),
)

PRICES = Table(
    "samples/prices",
    "One row per ERP price change or new item followed to the POS",
    (
        Column("sku", _S, "SKU"),
        Column("kind", _S, "price_change | new_item"),
        Column("unit_price_minor", _I, "the ERP's new price", MINOR),
        Column("erp_t", _F, "when the ERP acknowledged it", SIM_S),
        Column("erp_wall", _F, "erp_t on the wall clock", EPOCH_S),
        Column("pos_t", _F, "first sample showing the price at the POS (null: never)", SIM_S),
        Column("pos_wall", _F, "pos_t on the wall clock", EPOCH_S),
    ),
    (Producer.LIVE,),
    doc="ERP → POS price sync.",
)

ERP_SAMPLES = Table(
    "samples/erp",
    "One row per sample interval (t − step, t] of the capacity model's ERP",
    (
        _T,
        Column("requests", _I, "requests sent in the interval", "requests"),
        Column("status_429", _I, "429 answers in the interval", "answers"),
        Column("status_5xx", _I, "5xx answers in the interval", "answers"),
        Column(
            "utilisation",
            _F,
            "slot-seconds of service finished in the interval / (concurrency × step)",
            "share",
        ),
    ),
    (Producer.MODEL,),
)
