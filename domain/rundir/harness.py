"""What the harness itself did: the traffic it sent (``driver/sent``) and the faults it
applied (``faults``)."""

from __future__ import annotations

import pyarrow as pa

from domain.rundir._model import EPOCH_S, SIM_S, Column, Need, Producer, Table

__all__ = ["DRIVER_SENT", "FAULTS"]

_S = pa.string()
_F = pa.float64()

DRIVER_SENT = Table(
    "driver/sent",
    "One row per transaction sent to the POS",
    (
        Column("txn_id", _S, "truth transaction id"),
        Column("kind", _S, "sale | return | cancel | post_void"),
        Column("store_id", _S, "store"),
        Column("due_t", _F, "when the simulator says it happens", SIM_S),
        Column("due_wall", _F, "when the driver was due to send it", EPOCH_S),
        Column("sent_wall", _F, "when the driver sent it", EPOCH_S),
        Column("acked_wall", _F, "when the POS acknowledged it", EPOCH_S),
        Column("lag_s", _F, "sent_wall - due_wall: the driver's own lag", "s (wall)"),
        Column("status", pa.int32(), "POS answer", "HTTP status"),
        Column("offline", pa.bool_(), "buffered during a store offline window"),
        Column("attempts", pa.int32(), "sends until acknowledged", "count"),
    ),
    (Producer.LIVE,),
    doc=(
        "due_wall is due_t on the wall clock, except for a sale buffered by an offline "
        "store: then the end of the window (due_t stays the original simulated time)."
    ),
)

FAULTS = Table(
    "faults",
    "One row per fault window as applied",
    (
        Column("id", _S, "fault id"),
        Column("target", _S, "erp | pos | pos.webhooks | connector | store:<n>"),
        Column("kind", _S, "outage | latency | errors | rate_limit | duplicate | …"),
        Column("start_t", _F, "window start", SIM_S),
        Column("end_t", _F, "window end", SIM_S),
        Column("start_wall", _F, "window start on the wall clock (null in a simulation)", EPOCH_S),
        Column("end_wall", _F, "window end on the wall clock (null in a simulation)", EPOCH_S),
        Column("params", _S, "the fault's parameters (rate, latency, status)", "JSON"),
    ),
    (Producer.LIVE, Producer.MODEL),
    Need.OPTIONAL,
    doc=(
        "Faults the harness could not apply (e.g. ERP faults against a real ERP) are left "
        "out and listed in run.json (faults_not_applicable)."
    ),
)
