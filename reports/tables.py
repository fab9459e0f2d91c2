"""The run directory's tables, column by column, and a reader for the report.

`LIVE_TABLES` documents every table a live run or a simulation writes next to the truth
(whose schemas live in ``domain/records.py``): column, Arrow type, unit and meaning.
`RunTables` opens a run directory and hands out pandas frames, None for an absent table,
so every chart can say why it is missing. ``python -m reports.tables --markdown`` prints
``docs/run-tables.md``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from domain.records import TABLES as TRUTH_TABLES
from reports._errors import RunDirError

__all__ = [
    "LIVE_TABLES",
    "Column",
    "RunTables",
    "TableDoc",
    "TablesError",
    "markdown",
]

SIM_S = "s (simulated)"
EPOCH_S = "s since 1970 (wall)"
MINOR = "minor units"
UNITS = "units"


class TablesError(RunDirError):
    """A run directory or one of its files cannot be read; the message names the file.

    A `reports.RunDirError` (under the package's `ReportsError`): a usage error."""


@dataclass(frozen=True, slots=True)
class Column:
    """One documented column."""

    name: str
    type: pa.DataType
    unit: str
    meaning: str
    optional: bool = False
    """Only some producers write it (e.g. the capacity model's journal columns)."""


@dataclass(frozen=True, slots=True)
class TableDoc:
    """One documented table: its path stem in the run directory and its columns."""

    name: str
    grain: str
    writer: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type) for c in self.columns])


def _t(name: str, grain: str, writer: str, *columns: Column) -> TableDoc:
    return TableDoc(name, grain, writer, columns)


_S = pa.string()
_F = pa.float64()
_I = pa.int64()
_UTC = pa.timestamp("us", tz="UTC")

_JOURNAL = (
    Column("id", _I, "", "request number"),
    Column("ts", _UTC, "UTC timestamp (wall)", "when the request arrived"),
    Column("worker", pa.int32(), "", "server process id"),
    Column("credential", _S, "", "principal of the bearer token (never the token)"),
    Column("method", _S, "", "HTTP method"),
    Column("path", _S, "", "request path"),
    Column("query", _S, "", "query string"),
    Column("status", pa.int16(), "HTTP status", "answer (0 = reset or hang)"),
    Column("latency_ms", _F, "ms (wall)", "time to answer"),
    Column("idempotency_key", _S, "", "idempotency key, if any"),
    Column("body_sha256", _S, "", "hash of the request body"),
    Column("body_bytes", _I, "bytes", "request body size"),
    Column("document_id", _S, "", "document the request created or touched"),
    Column("ref", _S, "", "business reference (e.g. txn_id)"),
    Column("fault", _S, "", "injected fault, if any"),
    Column("t", _F, SIM_S, "request time (capacity model; live: derived from ts)", True),
    Column("operations", pa.int32(), "count", "operations in the request (capacity model)", True),
    Column("kind", _S, "", "batch | single (capacity model)", True),
    Column("doc", _I, "", "document index the request carried (capacity model)", True),
)
LIVE_TABLES: dict[str, TableDoc] = {
    doc.name: doc
    for doc in (
        _t(
            "driver/sent",
            "one row per transaction sent to the POS",
            "live harness (driver)",
            Column("txn_id", _S, "", "truth transaction id"),
            Column("kind", _S, "", "sale | return | cancel | post_void"),
            Column("store_id", _S, "", "store"),
            Column("due_t", _F, SIM_S, "when the simulator says it happens"),
            Column("due_wall", _F, EPOCH_S, "due_t on the wall clock"),
            Column("sent_wall", _F, EPOCH_S, "when the driver sent it"),
            Column("acked_wall", _F, EPOCH_S, "when the POS acknowledged it"),
            Column("lag_s", _F, "s (wall)", "sent_wall - due_wall: the driver's own lag"),
            Column("status", pa.int32(), "HTTP status", "POS answer"),
            Column("offline", pa.bool_(), "", "buffered during a store offline window"),
            Column("attempts", pa.int32(), "count", "sends until acknowledged"),
        ),
        _t(
            "faults",
            "one row per fault window as applied",
            "live harness / capacity model",
            Column("id", _S, "", "fault id"),
            Column("target", _S, "", "erp | pos | pos.webhooks | connector | store:<n>"),
            Column("kind", _S, "", "outage | latency | errors | rate_limit | duplicate | …"),
            Column("start_t", _F, SIM_S, "window start"),
            Column("end_t", _F, SIM_S, "window end"),
            Column("start_wall", _F, EPOCH_S, "window start on the wall clock (live only)"),
            Column("end_wall", _F, EPOCH_S, "window end on the wall clock (live only)"),
            Column("params", _S, "JSON", "the fault's parameters (rate, latency, status)"),
        ),
        _t(
            "pos/journal",
            "one row per request to the mock POS",
            "mock POS",
            *_JOURNAL,
        ),
        _t(
            "erp/journal",
            "one row per request to the ERP (mock ERP journal, or the capacity model's)",
            "mock ERP / capacity model",
            *_JOURNAL,
        ),
        _t(
            "pos/webhooks",
            "one row per webhook delivery attempt",
            "mock POS",
            Column("event_id", _S, "", "webhook event id (same on every attempt)"),
            Column("event_type", _S, "", "e.g. order.updated"),
            Column("attempt", pa.int32(), "count", "1 for the first delivery"),
            Column("status", pa.int32(), "HTTP status", "connector's answer (0 = no answer)"),
            Column("sent_wall", _F, EPOCH_S, "when it was sent"),
            Column("latency_ms", _F, "ms (wall)", "connector's response time"),
            Column("fault", _S, "", "injected fault, if any (duplicate, drop, delay, …)"),
        ),
        _t(
            "pos/orders",
            "one row per POS order at the end of the run",
            "live harness (POS public API)",
            Column("order_id", _S, "", "POS order id"),
            Column("reference_id", _S, "", "= truth txn_id"),
            Column("location_id", _S, "", "POS location (store)"),
            Column("state", _S, "", "OPEN | COMPLETED | CANCELED"),
            Column("total_minor", _I, MINOR, "order total, tax included"),
            Column("tax_minor", _I, MINOR, "order tax"),
            Column("note", _S, "", "free-text note as typed"),
            Column("updated_at", _S, "ISO 8601", "last update at the POS"),
        ),
        _t(
            "pos/catalog",
            "one row per SKU in the POS catalogue at the end",
            "live harness (POS public API)",
            Column("sku", _S, "", "SKU"),
            Column("price_minor", _I, MINOR, "price at the POS"),
        ),
        _t(
            "erp/documents",
            "one row per ERP document at the end",
            "live harness (ERP public API) / capacity model",
            Column("document_id", _S, "", "ERP document id"),
            Column("kind", _S, "", "invoice | credit_memo | journal"),
            Column("external_document_number", _S, "", "= truth txn_id"),
            Column(
                "number",
                _S,
                "",
                "the ERP's own document number (two documents sharing one fail the verdict)",
                True,
            ),
            Column("store_id", _S, "", "store"),
            Column("status", _S, "", "ERP document status (e.g. posted)"),
            Column("total_minor", _I, MINOR, "document total, tax included"),
            Column("tax_minor", _I, MINOR, "document tax"),
            Column("currency", _S, "ISO 4217", "document currency"),
            Column("created_wall", _F, EPOCH_S, "ERP timestamp (null in simulations)"),
            Column("committed_t", _F, SIM_S, "(created_wall - wall_origin) × speed"),
        ),
        _t(
            "erp/document_lines",
            "one row per ERP document line",
            "live harness (ERP public API) / capacity model",
            Column("document_id", _S, "", "ERP document id"),
            Column("line_no", pa.int32(), "", "line number within the document"),
            Column("sku", _S, "", "SKU"),
            Column("quantity", _I, UNITS, "signed quantity"),
            Column("unit_price_minor", _I, MINOR, "unit price as posted"),
            Column("discount_minor", _I, MINOR, "line discount"),
            Column("tax_minor", _I, MINOR, "line tax"),
            Column("description", _S, "", "free text as posted (scanned for card numbers)"),
        ),
        _t(
            "erp/customers",
            "one row per ERP customer at the end",
            "live harness (ERP public API)",
            Column("id", _S, "", "ERP customer id"),
            Column("name", _S, "", "name"),
            Column("email", _S, "", "e-mail (duplicates = duplicate profiles)"),
        ),
        _t(
            "erp/items",
            "one row per ERP item at the end",
            "live harness (ERP public API)",
            Column("sku", _S, "", "SKU"),
            Column("unit_price_minor", _I, MINOR, "ERP price (source of truth)"),
        ),
        _t(
            "samples/stock",
            "one row per store × SKU per stock sample",
            "stock sampler / capacity model",
            Column("sample_id", _I, "", "sample round"),
            Column("t", _F, SIM_S, "when the round was taken"),
            Column("wall", _F, EPOCH_S, "t on the wall clock (live only)"),
            Column("store_id", _S, "", "store"),
            Column("sku", _S, "", "SKU"),
            Column("pos_qty", _F, UNITS, "POS book (null if unreadable)"),
            Column("erp_qty", _F, UNITS, "ERP book (null if unreadable)"),
        ),
        _t(
            "samples/drift",
            "one row per sample time, aggregated over every store × SKU pair",
            "capacity model",
            Column("t", _F, SIM_S, "sample time"),
            Column("abs_units", _I, UNITS, "Σ|ERP book − POS book| over all pairs"),
            Column("pairs_off", _I, "pairs", "pairs whose ERP and POS books differ"),
            Column("max_abs", _I, UNITS, "largest |ERP − POS| of any pair"),
            Column(
                "oversell_units",
                _I,
                UNITS,
                "oversell exposure: units the ERP still shows that the stores have sold "
                "(docs/capacity-model.md)",
            ),
        ),
        _t(
            "samples/connector",
            "one row per connector /metrics sample",
            "live harness / capacity model",
            Column("t", _F, SIM_S, "sample time"),
            Column("wall", _F, EPOCH_S, "t on the wall clock (live only)"),
            Column("backlog", _I, "documents", "queued, not yet committed in the ERP"),
            Column("posted", _I, "documents", "committed so far (cumulative)"),
            Column("retries", _I, "requests", "retries so far (cumulative)"),
            Column("dead_letters", _I, "documents", "given up so far (cumulative)"),
            Column("erp_calls", _I, "requests", "ERP calls so far (cumulative)", True),
            Column(
                "erp_status_503", _I, "answers", "ERP 503s (busy, locked) so far (cumulative)", True
            ),
            Column("erp_retries", _I, "requests", "ERP calls retried so far (cumulative)", True),
        ),
    )
}

_TRUTH_MEANING: dict[str, str] = {
    "txn_id": "POS transaction id",
    "kind": "kind of row (see the table's description)",
    "store_id": "store",
    "register_id": "lane",
    "lane": "staffed | self_checkout",
    "cashier_id": "cashier",
    "customer_id": "loyalty customer (null if anonymous)",
    "business_day": "store's business day",
    "arrived_at": "customer joined the queue",
    "started_at": "service started",
    "completed_at": "the POS saw the document",
    "t": "seconds since the scenario start",
    "currency": "ISO 4217 currency",
    "lines": "number of lines",
    "units": "units on non-voided lines",
    "quantity": "units (signed for movements)",
    "sku": "SKU",
    "gtin": "GTIN barcode",
    "voided": "line voided before tender",
    "original_txn_id": "sale a return or post-void refers to",
    "original_line_no": "line of the original sale",
    "tax_class": "tax class",
    "notes": "free text typed at the till",
    "receipted": "return with a receipt",
    "line_no": "line number",
    "tender_no": "tender number",
    "brand": "card brand or product brand",
    "last4": "last four card digits",
    "detail": "wallet or other-tender kind",
    "arrival_t": "arrival at the lane's queue",
    "start_t": "start of service",
    "end_t": "end of service",
    "wait_s": "start_t - arrival_t",
    "queue_length": "customers waiting on arrival",
    "occurred_at": "when it happened",
    "ref": "delivery or loss reference",
    "requested": "units the customer wanted",
    "sold": "units sold",
    "lost": "units not sold for lack of stock",
    "initial": "stock at the start",
    "receipts": "units received",
    "returned": "units returned",
    "shrink": "units lost unrecorded",
    "physical": "physical stock at the end",
    "pos_book": "POS book at the end",
    "name": "name",
    "category": "merchandise category",
    "tax_rate": "tax rate as a decimal string",
    "popularity": "probability a line picks the SKU",
    "address": "postal address",
    "timezone": "IANA time zone",
    "size_class": "store size class",
    "size_factor": "traffic and lane scale (mean 1)",
    "registers": "staffed registers",
    "self_checkouts": "self-checkout lanes",
    "email": "e-mail",
    "loyalty_id": "loyalty card number",
}


_UNIT_COLUMNS = frozenset(
    [
        "quantity",
        "units",
        "requested",
        "sold",
        "lost",
        "initial",
        "receipts",
        "returned",
        "shrink",
        "physical",
        "pos_book",
    ]
)


def _truth_unit(name: str, type_: pa.DataType) -> str:
    if name.endswith("_minor"):
        return MINOR
    if name == "t" or name.endswith("_t"):
        return SIM_S
    if name == "wait_s":
        return "s (simulated)"
    if pa.types.is_timestamp(type_):
        return "local time"
    if name == "queue_length":
        return "customers"
    if name in _UNIT_COLUMNS:
        return UNITS
    return ""


def truth_docs() -> dict[str, TableDoc]:
    """The truth tables of ``domain.records`` as `TableDoc` (units and meanings added)."""
    docs: dict[str, TableDoc] = {}
    for stem, schema in TRUTH_TABLES.items():
        meta = schema.metadata or {}
        grain = meta.get(b"doc", b"").decode()
        columns = tuple(
            Column(f.name, f.type, _truth_unit(f.name, f.type), _TRUTH_MEANING.get(f.name, ""))
            for f in schema
        )
        docs[f"truth/{stem}"] = TableDoc(f"truth/{stem}", grain, "simulator", columns)
    return docs


def _type_name(type_: pa.DataType) -> str:
    if pa.types.is_dictionary(type_):
        return f"{type_.value_type} (dictionary)"
    return str(type_)


def markdown() -> str:
    """``docs/run-tables.md``: every table, its columns, types, units and meanings."""
    out = [
        "# Run tables",
        "",
        "<!-- generated by `python -m reports.tables --markdown`; do not edit by hand -->",
        "",
        "Every table of a run directory (`OUT/<timestamp>-<scenario>/<table>.parquet`).",
        "Simulated seconds (`s (simulated)`) count from the scenario start; at speed X a",
        "wall second is X simulated seconds, and wall time w maps to t = (w − wall_origin)",
        "× speed (`run.json`). Money is integer minor units of the run's currency.",
        "Columns marked *optional* are written by some producers only.",
        "",
    ]
    for doc in [*truth_docs().values(), *LIVE_TABLES.values()]:
        out += [f"## `{doc.name}.parquet`", "", f"{doc.grain} — written by {doc.writer}.", ""]
        out += ["| column | type | unit | meaning |", "| --- | --- | --- | --- |"]
        for c in doc.columns:
            meaning = c.meaning.replace("|", "\\|") + (" *(optional)*" if c.optional else "")
            out.append(f"| `{c.name}` | {_type_name(c.type)} | {c.unit} | {meaning} |")
        out.append("")
    out += [
        "## Other files",
        "",
        "| file | meaning |",
        "| --- | --- |",
        "| `scenario.yaml` | the resolved scenario, seed included |",
        "| `run.json` | run metadata: kind, speed, wall_origin, traffic_end_t, versions |",
        '| `summary.json` | verification verdict (or `{"kind": "traffic", …}`) |',
        "| `junit.xml` | one test case per SLO |",
        "| `capacity.json` | capacity model headline figures (simulations) |",
        "| `locust/*_stats.csv`, `locust/*_stats_history.csv` | Locust statistics (load runs) |",
        "| `report.html`, `charts/*.png`, `charts/*.svg` | the report (`tillbench report`) |",
        "",
    ]
    return "\n".join(out)


@dataclass
class RunTables:
    """A run directory opened for reporting: metadata and tables as pandas frames."""

    path: Path
    run: Mapping[str, Any] = field(default_factory=dict)
    scenario: Mapping[str, Any] = field(default_factory=dict)
    summary: Mapping[str, Any] | None = None

    @classmethod
    def open(cls, path: Path | str) -> RunTables:
        path = Path(path)
        if not path.is_dir():
            raise TablesError(f"{path}: not a run directory; pass an OUT/<run> directory")
        markers = ("scenario.yaml", "truth", "sweep.parquet")
        if not any((path / marker).exists() for marker in markers):
            raise TablesError(
                f"{path}: no scenario.yaml, truth/ or sweep.parquet; pass a directory "
                "written by tillbench run, simulate or demo"
            )
        summary = _json(path / "summary.json") if (path / "summary.json").is_file() else None
        return cls(path, _json(path / "run.json"), _yaml(path / "scenario.yaml"), summary)

    @property
    def kind(self) -> str:
        """live | simulation | traffic | sweep."""
        if (self.path / "sweep.parquet").is_file():
            return "sweep"
        if self.summary and self.summary.get("kind") == "traffic":
            return "traffic"
        kind = self.run.get("kind")
        if isinstance(kind, str):
            return kind
        return "live" if self.run else "traffic"

    @property
    def speed(self) -> float:
        """Simulated seconds per wall second; 1 for simulations (no wall clock) or unknown."""
        if self.kind == "simulation":
            return 1.0
        for value in (self.run.get("speed"), self.scenario.get("speed")):
            if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
                return float(value)
        return 1.0

    @property
    def wall_origin(self) -> float | None:
        value = self.run.get("wall_origin")
        return float(value) if isinstance(value, int | float) else None

    @cached_property
    def start(self) -> pd.Timestamp:
        """The scenario start (local time, naive), t = 0."""
        value = self.scenario.get("start") or self.run.get("sim_start")
        try:
            return pd.Timestamp(value) if value else pd.Timestamp("2000-01-01")
        except ValueError:
            return pd.Timestamp("2000-01-01")

    def time(self, key: str) -> float | None:
        value = self.run.get(key)
        return float(value) if isinstance(value, int | float) else None

    def file(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    def has(self, name: str) -> bool:
        return self.file(name).is_file()

    def read(self, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame | None:
        """The table as a frame (only ``columns`` that exist), or None when absent."""
        file = self.file(name)
        if not file.is_file():
            return None
        try:
            present = set(pq.read_schema(file).names)
            wanted = None if columns is None else [c for c in columns if c in present]
            table = pq.read_table(file, columns=wanted)
        except (OSError, pa.ArrowInvalid) as error:
            raise TablesError(f"{file}: cannot read it as Parquet ({error})") from None
        frame: pd.DataFrame = table.to_pandas()
        return frame

    def sim_t(self, wall: pd.Series) -> pd.Series:
        """Wall epoch seconds → simulated seconds since the start (run.json's origin)."""
        origin = self.wall_origin
        if origin is None:
            return pd.Series(float("nan"), index=wall.index)
        return (wall.astype("float64") - origin) * self.speed

    def journal(self, name: str = "erp/journal") -> pd.DataFrame | None:
        """A request journal with a ``t`` column in simulated seconds (derived if absent)."""
        frame = self.read(name)
        if frame is None:
            return None
        if "t" not in frame.columns:
            if "ts" not in frame.columns:
                raise TablesError(f"{self.file(name)}: needs a ts or t column")
            ts = pd.to_datetime(frame["ts"], utc=True)
            epoch = (ts - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
            frame["t"] = self.sim_t(epoch)
        return frame


def _json(file: Path) -> dict[str, Any]:
    if not file.is_file():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TablesError(f"{file}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise TablesError(f"{file}: must hold a JSON object, got {type(data).__name__}")
    return data


def _yaml(file: Path) -> dict[str, Any]:
    if not file.is_file():
        return {}
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise TablesError(f"{file}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise TablesError(f"{file}: must hold a mapping, got {type(data).__name__}")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.tables", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print docs/run-tables.md")
    args = parser.parse_args(argv)
    if not args.markdown:
        parser.print_help()
        return 2
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
