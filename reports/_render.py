"""Render a verdict with rich: the verdict first, then SLOs, exactly-once, drift, latency."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table

if TYPE_CHECKING:
    from rich.console import Console

    from reports._verdict import StockGap, Verdict

__all__ = ["render"]


def render(verdict: Verdict, console: Console) -> None:
    """Print the verdict's tables to ``console``."""
    headline = "[bold green]PASS[/]" if verdict.passed else "[bold red]FAIL[/]"
    summary = Table(title="Verdict", show_header=False)
    summary.add_row("result", f"{headline} (exit {verdict.exit_code})")
    summary.add_row("run", verdict.run_dir)
    for line in verdict.diagnosis:
        summary.add_row("diagnosis", line)
    console.print(summary)

    slos = Table(title="SLOs")
    for column in ("objective", "target", "actual", "", "detail"):
        slos.add_column(column)
    for slo in verdict.slos:
        mark = "[green]ok[/]" if slo.passed else "[red]FAILED[/]"
        slos.add_row(slo.name, _num(slo.target), _num(slo.actual), mark, slo.detail)
    console.print(slos)

    once = verdict.exactly_once
    table = Table(title=f"Exactly once ({once.expected} POS transactions, {once.posted} posted)")
    for column in ("failure", "count", "examples"):
        table.add_column(column)
    for name in (
        "missing",
        "unposted",
        "duplicated",
        "mismatched",
        "mismatched_amount",
        "mismatched_tax",
        "mismatched_quantity",
        "mismatched_tender",
        "late",
        "unexpected",
    ):
        failure = getattr(once, name)
        table.add_row(name.replace("_", " "), str(failure.count), ", ".join(failure.examples))
    table.add_row(
        "posted twice under another reference",
        str(once.reposted.count),
        ", ".join(f"{r.txn_id} as {r.reference}" for r in once.reposted_as[:5]),
    )
    table.add_row(
        "only under another reference",
        str(once.misreferenced.count),
        ", ".join(f"{r.txn_id} as {r.reference}" for r in once.misreferenced_as[:5]),
    )
    if once.store_checked:
        table.add_row(
            "wrong store",
            str(once.wrong_store.count),
            "; ".join(
                f"{m.txn_id} {m.pos_store} → {m.erp_store}" for m in once.wrong_store_examples[:3]
            ),
        )
    else:
        table.add_row("wrong store", "—", "not checked: the documents carry no store")
    numbers = verdict.duplicate_numbers
    if numbers is None:
        table.add_row("duplicate ERP numbers", "—", "not checked: the documents carry no number")
    else:
        shared = "; ".join(f"{e.number} ({', '.join(e.references)})" for e in numbers.examples)
        table.add_row("duplicate ERP numbers", str(numbers.numbers), shared)
    console.print(table)

    stock = Table(title="Stock ledgers (never mixed)")
    for column in ("ledgers", "pairs", "off", "share", "sum |units|", "max", "convergence"):
        stock.add_column(column)
    settled = "never" if verdict.convergence_s is None else f"{verdict.convergence_s:.0f} s"
    _stock_row(stock, "drift ERP − POS", verdict.drift, settled)
    _stock_row(stock, "inaccuracy POS − physical", verdict.record_inaccuracy, "—")
    console.print(stock)

    latency = verdict.sync_latency
    speed = "simulated" if latency.speed is None else f"speed {latency.speed:g}×"
    lat = Table(title=f"Sync latency ({latency.count} documents, {speed})")
    for column in ("clock", "p50", "p95", "p99", "max"):
        lat.add_column(column)
    for clock, values in (("sim s", latency.sim), ("wall s", latency.wall)):
        if values is not None:
            lat.add_row(
                clock, *(f"{v:.2f}" for v in (values.p50, values.p95, values.p99, values.max))
            )
    console.print(lat)
    if verdict.api_calls_per_sale is not None:
        console.print(f"ERP API calls per sale: {verdict.api_calls_per_sale:.2f}")
    for note in verdict.notes:
        console.print(f"[dim]note: {note}[/]")


def _stock_row(table: Table, label: str, gap: StockGap | None, converged: str) -> None:
    if gap is None:
        table.add_row(label, "—", "—", "—", "—", "—", "not measured")
        return
    table.add_row(
        label,
        str(gap.pairs),
        str(gap.pairs_off),
        f"{gap.share_off:.2%}",
        f"{gap.sum_abs:g}",
        f"{gap.max_abs:g}",
        converged,
    )


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
