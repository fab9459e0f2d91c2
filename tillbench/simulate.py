"""Orchestrate `tillbench simulate` and `tillbench demo`: run directory, simulator, summary."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from domain import Money
from tillbench.runs import new_run_dir

if TYPE_CHECKING:
    from scenarios import Scenario
    from simulator import TrafficSummary

_BARS = " ▁▂▃▄▅▆▇█"


@dataclasses.dataclass(frozen=True, slots=True)
class TrafficRun:
    """A finished traffic simulation: where it wrote, and what it found."""

    run_dir: Path
    summary: TrafficSummary

    def render(self, console: Console | None = None) -> None:
        """Print the summary tables and the run directory."""
        render_traffic_summary(self.summary, console=console or Console())
        (console or Console()).print(f"\nrun directory: [bold]{self.run_dir}[/bold]")


def run_traffic(
    scenario: Scenario,
    *,
    out: Path,
    seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> TrafficRun:
    """Simulate the scenario's store traffic into a new run directory under `out`."""
    from simulator import simulate_traffic

    run_dir = new_run_dir(out, scenario.name)
    summary = simulate_traffic(scenario, run_dir, seed=seed, progress=progress)
    document: dict[str, Any] = {"kind": "traffic", "traffic": summary.to_dict()}
    (run_dir / "summary.json").write_text(json.dumps(document, indent=2, sort_keys=True) + "\n")
    return TrafficRun(run_dir=run_dir, summary=summary)


def _money(minor: int, currency: str) -> str:
    money = Money.from_minor(int(minor), currency)
    return f"{money.amount:,} {money.currency}"


def _sparkline(values: list[int]) -> str:
    top = max(values) if values else 0
    if top <= 0:
        return " " * len(values)
    return "".join(_BARS[round(v / top * (len(_BARS) - 1))] for v in values)


def render_traffic_summary(s: TrafficSummary, *, console: Console) -> None:
    """Print a traffic summary as a person would want to read it."""
    head = Table(title=f"{s.scenario} — seed {s.seed}, {s.stores} stores, {s.days} day(s)")
    head.add_column("measure")
    head.add_column("value", justify="right")
    rows: list[tuple[str, str]] = [
        ("customers served", f"{s.customers:,}"),
        ("sales", f"{s.transactions:,}"),
        ("returns", f"{s.returns:,}"),
        ("cancels / post-voids", f"{s.cancels:,} / {s.post_voids:,}"),
        ("units sold", f"{s.units:,}"),
        ("revenue (tax incl.)", _money(s.revenue_minor, s.currency)),
        ("refunds", _money(s.refunds_minor, s.currency)),
        ("stock-out lines / lost units", f"{s.stock_out_lines:,} / {s.lost_units:,}"),
        ("walk-outs (nothing on the shelf)", f"{s.walkouts:,}"),
        ("shrink units (unrecorded)", f"{s.shrink_units:,}"),
        ("units received", f"{s.received_units:,}"),
    ]
    if s.elapsed_s > 0:
        rows.append(("simulated in", f"{s.elapsed_s:.1f} s ({s.customers_per_s:,.0f} customers/s)"))
    for name, value in rows:
        head.add_row(name, value)
    console.print(head)

    queues = Table(title="Checkout queues (waits in seconds)")
    for col in ("lane", "served", "mean", "p95", "p99", "max", "mean queue"):
        queues.add_column(col, justify="left" if col == "lane" else "right", no_wrap=True)
    for lane, q in s.queues.items():
        queues.add_row(
            lane,
            f"{q.customers:,}",
            f"{q.mean_wait_s:.1f}",
            f"{q.p95_wait_s:.1f}",
            f"{q.p99_wait_s:.1f}",
            f"{q.max_wait_s:.1f}",
            f"{q.mean_queue_length:.2f}",
        )
    console.print(queues)

    hours = [h for h, n in enumerate(s.transactions_by_hour) if n]
    if hours:
        lo, hi = min(hours), max(hours) + 1
        console.print(
            f"sales by hour {lo:02d}:00–{hi:02d}:00  "
            f"[cyan]{_sparkline(s.transactions_by_hour[lo:hi])}[/cyan]  "
            f"(peak {max(s.transactions_by_hour):,} at "
            f"{s.transactions_by_hour.index(max(s.transactions_by_hour)):02d}:00)"
        )
    ranked = sorted(s.revenue_by_store.items(), key=lambda kv: kv[1], reverse=True)
    stores = Table(title="Revenue by store" + (" (top 5 and bottom 5)" if len(ranked) > 10 else ""))
    stores.add_column("store")
    stores.add_column("revenue", justify="right")
    shown = ranked if len(ranked) <= 10 else [*ranked[:5], ("…", -1), *ranked[-5:]]
    for store, minor in shown:
        stores.add_row(store, "…" if minor < 0 else _money(minor, s.currency))
    console.print(stores)


__all__ = ["TrafficRun", "render_traffic_summary", "run_traffic"]
