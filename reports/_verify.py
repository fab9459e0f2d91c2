"""`verify`: read a run directory, judge it against the SLOs, write summary.json and junit.xml.

`judge` is the same judgement without writing anything (the report and the comparison
re-derive the verdict they show with it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from domain.rundir import REQUIRED
from reports._arrow import floats, strings
from reports._cards import scan_run
from reports._convergence import convergence
from reports._cost import api_cost, api_cost_from_counter
from reports._customers import duplicate_profiles
from reports._diagnosis import diagnose, findings
from reports._errors import RunDirError
from reports._exactly_once import KINDS, check
from reports._exits import connector_exits, start_of
from reports._explained import explain
from reports._junit import write_junit
from reports._latency import sync_latency
from reports._numbers import duplicate_numbers
from reports._pricing import pricing
from reports._rundir import RunDir
from reports._serde import finite
from reports._slo import DEFAULTS, evaluate, slo_seconds
from reports._stock import drift, record_inaccuracy
from reports._verdict import ApiCost, ConvergenceEvent, Verdict

__all__ = ["COLUMNS", "DICTIONARY_COLUMNS", "judge", "verify"]

COLUMNS: dict[str, tuple[str, ...]] = {
    "truth/transactions": (
        "txn_id",
        "kind",
        "store_id",
        "t",
        "total_minor",
        "tax_minor",
        "original_txn_id",
    ),
    "truth/lines": ("txn_id", "sku", "quantity", "unit_price_minor", "net_minor", "voided", "t"),
    "truth/catalog": ("sku", "tax_rate", "price_minor"),
    "truth/tenders": ("txn_id", "kind"),
    "truth/stock_final": ("store_id", "sku", "physical", "pos_book"),
    "erp/documents": (
        "document_id",
        "kind",
        "external_document_number",
        "status",
        "total_minor",
        "tax_minor",
        "committed_t",
    ),
    "erp/document_lines": (
        "document_id",
        "sku",
        "quantity",
        "unit_price_minor",
        "discount_minor",
        "tax_minor",
    ),
    "erp/journal": ("credential",),
    "erp/items": ("sku", "unit_price_minor"),
    "erp/price_changes": ("sku", "t", "unit_price_minor"),
    "erp/customers": ("email",),
    "pos/orders": ("reference_id",),
    "samples/stock": ("sample_id", "t", "store_id", "sku", "pos_qty", "erp_qty"),
    "faults": ("id", "target", "kind", "start_t", "end_t"),
}
"""Columns verification needs from each table it reads (others are ignored)."""
DICTIONARY_COLUMNS = frozenset(
    {"sku", "store_id", "kind", "status", "currency", "description", "sample_id", "credential"}
)
"""Low-cardinality string columns read dictionary-encoded (looked up once per value)."""

_TRUTH_TX = ["txn_id", "kind", "store_id", "t", "total_minor", "tax_minor", "original_txn_id"]
_TRUTH_LINES = ["txn_id", "sku", "quantity", "unit_price_minor", "net_minor", "voided", "t"]
_LINE_NO = "line_no"


def verify(run_dir: Path, *, scenario_slo: Mapping[str, Any] | None = None) -> Verdict:
    """Verify the live run in ``run_dir``; write ``summary.json`` and ``junit.xml`` into it.

    ``scenario_slo`` overrides the ``slo`` section of the run's ``scenario.yaml``.
    Raises `RunDirError` when the directory lacks what verification needs.
    """
    verdict, run = _judge(run_dir, scenario_slo)
    (run.path / "summary.json").write_text(
        json.dumps(finite(verdict.to_dict()), indent=2, allow_nan=False) + "\n",
        encoding="utf-8",
    )
    suite = f"tillbench.{run.scenario.get('name', 'run')}"
    write_junit(run.path / "junit.xml", verdict.slos, suite=suite)
    return verdict


def judge(run_dir: Path, *, scenario_slo: Mapping[str, Any] | None = None) -> Verdict:
    """The verdict on ``run_dir`` (see `verify`), writing nothing."""
    return _judge(run_dir, scenario_slo)[0]


def _judge(run_dir: Path, scenario_slo: Mapping[str, Any] | None) -> tuple[Verdict, RunDir]:
    run = RunDir.open(
        run_dir, require=REQUIRED, needs=COLUMNS, dictionary=DICTIONARY_COLUMNS, keep=True
    )
    slo = _slo_section(run, scenario_slo)
    traffic_end = run.meta.traffic_end_t
    transactions = run.table("truth/transactions", _TRUTH_TX)
    if traffic_end is None:
        traffic_end = float(pc.max(transactions.column("t")).as_py() or 0.0)
        run.notes.append("run.json gives no traffic_end_t: the last truth transaction is used")
    within = slo_seconds("converge_within", slo.get("converge_within", DEFAULTS["converge_within"]))
    deadline = None if within is None else traffic_end + within

    lines = run.table("truth/lines", [*_TRUTH_LINES, _LINE_NO])
    catalog = run.optional(
        "truth/catalog", ["sku", "tax_rate", "price_minor"], why="line taxes and prices unchecked"
    )
    tenders = run.optional("truth/tenders", ["txn_id", "kind"], why="tenders unchecked")
    documents = run.table("erp/documents")
    orders = run.optional("pos/orders", ["reference_id"], why="POS-side losses not told apart")
    document_lines = run.table("erp/document_lines")
    once, matching = check(
        transactions,
        lines,
        documents,
        document_lines,
        tax_rates=_tax_rates(catalog),
        tenders=tenders,
        deadline_t=deadline,
        pos_references=None if orders is None else orders.column("reference_id"),
    )
    if not once.tender_checked:
        run.notes.append("erp/documents.parquet has no tender_kinds column: tenders unchecked")

    if not once.store_checked:
        run.notes.append("erp/documents.parquet has no store_id column: stores unchecked")
    samples = run.optional("samples/stock", why="integration drift and convergence unmeasured")
    gap = drift(samples) if samples is not None else None
    explanation = None
    if samples is not None and gap is not None and gap.pairs_off:
        explanation = explain(
            matching.truth,
            lines,
            matching.line_owner,
            reached=matching.reached,
            docs=matching.docs,
            doc_kind=matching.doc_kind,
            posted=matching.posted,
            document_lines=document_lines,
            journals=matching.journals,
            journal_txn=matching.journal_txn,
            samples=samples,
        )
    stock_final = run.optional("truth/stock_final", why="record inaccuracy unmeasured")
    inaccuracy = record_inaccuracy(stock_final, samples) if stock_final is not None else None
    faults = run.optional("faults", why="convergence after faults unmeasured")
    events = convergence(gap.series if gap else [], traffic_end_t=traffic_end, faults=faults)
    after_traffic = [e for e in events if e.after == "traffic end"]
    latency = sync_latency(
        matching.t, matching.committed_t, speed=run.speed, fault_windows=_windows(events)
    )

    sales = int(once.expected_by_kind.get("sale", 0))
    cost = _api_cost(run, sales=sales, traffic_s=traffic_end)
    items = run.optional("erp/items", why="prices checked only if changes are recorded")
    changes = run.optional("erp/price_changes", why="prices compared with ERP end prices")
    sold = (matching.line_kind == KINDS.index("sale")) & ~np.asarray(
        pc.fill_null(lines.column("voided"), False).to_numpy(zero_copy_only=False), dtype=bool
    )
    prices = pricing(
        lines.filter(pa.array(sold)), catalog=_prices(catalog), items=items, changes=changes
    )
    customers = run.optional("erp/customers", why="duplicate profiles unmeasured")
    profiles = duplicate_profiles(customers) if customers is not None else None
    leaks = scan_run(run)
    numbers = duplicate_numbers(documents)
    if numbers is None:
        run.notes.append(
            "erp/documents.parquet has no number column: duplicate document numbers unchecked"
        )

    slos = evaluate(
        slo,
        exactly_once=once,
        latency=latency,
        convergence=events,
        drift_measured=gap is not None,
        card_leaks=leaks,
        duplicate_numbers=numbers,
    )
    unknown = sorted(set(slo) - set(DEFAULTS))
    if unknown:
        run.notes.append(f"slo keys not checked by verification: {', '.join(unknown)}")
    passed = all(result.passed for result in slos)
    missing = np.isnan(matching.committed_t)
    exits = connector_exits(
        run.meta, start=start_of(run.scenario, run.meta), t=matching.t, missing=missing
    )
    diagnosis = diagnose(
        once,
        drift=gap,
        convergence=events,
        card_leaks=leaks,
        pricing=prices,
        profiles=profiles,
        latency=latency,
        slos=slos,
        numbers=numbers,
        explanation=explanation,
        exits=exits,
    )
    return Verdict(
        passed=passed,
        exit_code=0 if passed else 1,
        run_dir=str(run.path),
        diagnosis=diagnosis,
        findings=findings(diagnosis),
        slos=slos,
        exactly_once=once,
        drift=gap,
        record_inaccuracy=inaccuracy,
        convergence_s=after_traffic[0].seconds if after_traffic else None,
        convergence=events,
        sync_latency=latency,
        api_calls_per_sale=cost.per_sale if cost else None,
        api_cost=cost,
        pricing_discrepancies=prices,
        duplicate_profiles=profiles,
        card_leaks=leaks,
        notes=list(run.notes),
        duplicate_numbers=numbers,
        drift_explained=explanation,
        connector_exits=exits,
        objectives={str(key): _plain(value) for key, value in slo.items()},
    ), run


def _api_cost(run: RunDir, *, sales: int, traffic_s: float) -> ApiCost | None:
    """From the ERP journal (the mock ERP), else the connector's erp_calls counter."""
    if run.has("erp/journal"):
        journal = run.table("erp/journal", ["credential"])
        credential = run.meta.connector_credential
        return api_cost(journal, sales=sales, credential=credential, traffic_s=traffic_s)
    if run.has("samples/connector"):
        found = api_cost_from_counter(
            run.table("samples/connector"), sales=sales, traffic_s=traffic_s
        )
        if found is not None:
            return found
    run.notes.append(
        "erp/journal.parquet absent and no erp_calls in samples/connector: API calls per sale "
        "unmeasured"
    )
    return None


def _slo_section(run: RunDir, given: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if given is not None:
        return given
    section = run.scenario.get("slo")
    if section is None:
        run.notes.append("scenario.yaml has no slo section: the default objectives apply")
        return {}
    if not isinstance(section, Mapping):
        raise RunDirError(
            f"{run.path / 'scenario.yaml'}: slo must be a mapping, got {type(section).__name__}"
        )
    return section


def _tax_rates(catalog: pa.Table | None) -> pa.Table | None:
    if catalog is None:
        return None
    rates = pc.cast(strings(catalog, "tax_rate"), pa.float64())
    return pa.table({"sku": strings(catalog, "sku"), "rate": rates})


def _prices(catalog: pa.Table | None) -> pa.Table | None:
    if catalog is None:
        return None
    return pa.table({"sku": strings(catalog, "sku"), "price_minor": floats(catalog, "price_minor")})


def _windows(events: list[ConvergenceEvent]) -> list[tuple[float, float]]:
    """Each fault from its start until drift settled after it (its end if it never did)."""
    return [
        (e.start_t, e.end_t if e.converged_t is None else e.converged_t)
        for e in events
        if e.start_t is not None
    ]


def _plain(value: Any) -> Any:
    """An objective as JSON holds it: durations as ``"90s"``."""
    if isinstance(value, dt.timedelta):
        return f"{value.total_seconds():g}s"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
