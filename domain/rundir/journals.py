"""Request journals (``pos/journal``, ``erp/journal``): one row per HTTP request a mock served.

The mocks write them (``mocks.core.journal.JOURNAL_SCHEMA``, fetched by the live harness
through their admin API); the capacity model writes the ERP's with its own columns: ``t``
instead of ``ts``, ``operations`` and ``kind``, and only the request columns it models.
"""

from __future__ import annotations

import pyarrow as pa

from domain.rundir._model import MS, SIM_S, Column, Need, Producer, Table

__all__ = ["ERP_JOURNAL", "JOURNAL_COLUMNS", "POS_JOURNAL"]

_S = pa.string()
_MOCKS = (Producer.MOCK_POS, Producer.MOCK_ERP)
_MODEL = (Producer.MODEL,)

JOURNAL_COLUMNS: tuple[Column, ...] = (
    Column("id", pa.int64(), "request number"),
    Column(
        "ts",
        pa.timestamp("us", tz="UTC"),
        "when the request arrived (null in a simulation)",
        "UTC timestamp (wall)",
    ),
    Column("worker", pa.int32(), "server process id"),
    Column("credential", _S, "principal of the bearer token (never the token)"),
    Column("method", _S, "HTTP method"),
    Column("path", _S, "request path"),
    Column("query", _S, "query string", writers=_MOCKS),
    Column("status", pa.int16(), "answer (0 = reset or hang)", "HTTP status"),
    Column("latency_ms", pa.float64(), "time to answer", MS),
    Column("idempotency_key", _S, "idempotency key, if any", writers=_MOCKS),
    Column("body_sha256", _S, "hash of the request body", writers=_MOCKS),
    Column("body_bytes", pa.int64(), "request body size", "bytes", _MOCKS),
    Column("document_id", _S, "document the request created or touched (a batch: its first)"),
    Column("ref", _S, "business reference (e.g. txn_id)", writers=_MOCKS),
    Column("fault", _S, "injected fault, if any", writers=_MOCKS),
    Column(
        "t", pa.float64(), "request time (capacity model; live: derived from ts)", SIM_S, _MODEL
    ),
    Column("operations", pa.int32(), "operations in the request (capacity model)", "count", _MODEL),
    Column("kind", _S, "batch | single (capacity model)", writers=_MODEL),
)
"""The columns of both journals (the mocks' ``JOURNAL_SCHEMA`` and the model's)."""

POS_JOURNAL = Table(
    "pos/journal",
    "One row per request to the mock POS",
    JOURNAL_COLUMNS,
    (Producer.MOCK_POS,),
)

ERP_JOURNAL = Table(
    "erp/journal",
    "One row per request to the ERP (the mock ERP's journal, or the capacity model's)",
    JOURNAL_COLUMNS,
    (Producer.MOCK_ERP, Producer.MODEL),
    Need.OPTIONAL,
    doc=(
        "Verification counts the rows with the connector's credential as its API calls; a "
        "real ERP keeps no journal here (the connector's erp_calls counter stands in)."
    ),
)
