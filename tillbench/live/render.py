"""Draw a live run for people: a one-line status while it runs, a summary when done."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

from rich.console import Console
from rich.live import Live
from rich.table import Table
from rich.text import Text

from tillbench.live.run import LiveRun
from tillbench.live.status import LiveStatus

__all__ = ["live_status_line", "render_run", "status_display"]

LOG_EVERY_S = 10.0


def live_status_line(status: LiveStatus) -> Text:
    """``traffic  Mon 11:23:45  sent 120/299  4.2 sales/s  backlog 0  drift 12 u (8 pairs)``."""
    if status.phase == "event":
        return Text.assemble((f"{'event':<8}", "bold yellow"), " ", status.message)
    if status.phase in ("starting", "collect", "verify", "done"):
        return Text.assemble((f"{status.phase:<8}", "bold cyan"), " ", status.message)
    parts: list[tuple[str, str] | str] = [
        (f"{status.phase:<8}", "bold cyan"),
        " ",
        (status.clock_text, "bold"),
        f"  sent {status.sent:,}/{status.due:,}",
        f"  {status.sales_per_s:,.1f} sales/s",
        f"  driver lag ≤ {status.max_lag_s * 1000:,.0f} ms",
    ]
    backlog = "?" if status.backlog is None else f"{status.backlog:,.0f}"
    parts.append(f"  backlog {backlog}")
    if status.drift_units is None:
        parts.append(("  drift ?", "yellow"))
    else:
        style = "green" if status.drift_units == 0 else "yellow"
        parts.append((f"  drift {status.drift_units:,.0f} units ({status.pairs_off} pairs)", style))
    return Text.assemble(*parts)


@contextlib.contextmanager
def status_display(console: Console) -> Iterator[Callable[[LiveStatus], None]]:
    """Yield a progress callback: a redrawn status line on a terminal; elsewhere (CI logs)
    a line per phase change and every `LOG_EVERY_S` seconds. Events are printed as lines
    of their own, at once, everywhere."""
    if not console.is_terminal:
        phases = [""]
        printed = [0.0]

        def log(status: LiveStatus) -> None:
            if status.phase == "event":
                console.print(live_status_line(status), soft_wrap=True)
                return
            now = time.monotonic()
            if status.phase != phases[-1] or now - printed[-1] >= LOG_EVERY_S:
                phases.append(status.phase)
                printed.append(now)
                console.print(live_status_line(status), soft_wrap=True)

        yield log
        return
    with Live(Text(""), console=console, refresh_per_second=4, transient=True) as live:

        def update(status: LiveStatus) -> None:
            if status.phase == "event":
                live.console.print(live_status_line(status), soft_wrap=True)
                return
            live.update(live_status_line(status))

        yield update


def render_run(run: LiveRun, console: Console) -> None:
    """The verdict table (from `reports`) or, without one, the harness's own summary."""
    if run.verdict is not None:
        run.verdict.render(console)
    else:
        table = Table(title="Live run (not verified)")
        table.add_column("measure")
        table.add_column("value", justify="right")
        table.add_row("transactions sent / accepted", f"{run.transactions:,} / {run.sent_ok:,}")
        table.add_row(
            "driver lag p99 / max", f"{run.p99_lag_s * 1000:,.1f} / {run.max_lag_s * 1000:,.1f} ms"
        )
        table.add_row("stock converged", "yes" if run.converged else "no")
        table.add_row("wall time", f"{run.wall_s:,.1f} s")
        console.print(table)
        if run.verify_error:
            console.print(f"[yellow]verification did not run: {run.verify_error}[/yellow]")
    if run.report is not None:
        console.print(f"\nreport: [bold]{run.report}[/bold]", soft_wrap=True)
    elif run.report_error:
        console.print(f"[yellow]the HTML report could not be built: {run.report_error}[/yellow]")
    console.print(f"run directory: [bold]{run.run_dir}[/bold]", soft_wrap=True)
