"""Benchmark: a soak — both mocks and the reference connector under constant load for a
long time, their memory sampled, growth after warm-up reported as a ratio.

The stack is the one ``tillbench load`` starts (`tillbench.load.stack`: the mock POS and
ERP at speed 1, seeded with the ``demo`` scenario's world, the realtime reference connector
under the contract). A sender posts ``rate`` sales a second through the POS driver door
(the simulator's sales of the scenario, replayed in a loop with fresh transaction ids and
completion times), so the connector receives webhooks, fetches orders and posts invoices
to the ERP the whole time. Every ``sample_every`` seconds the resident memory (RSS) of each
process tree — POS, ERP, connector — is read from ``/proc``.

Figures: per process, RSS at the end of the warm-up (the first quarter of the run, at least
a minute when the run is long enough; the mean of the three samples after it) and at the
end (the mean of the last three), ``growth`` = end / warm-up, and the least-squares slope
after warm-up in MiB per hour. Target ``growth_below_1.10``: every process grows less than
10 % after warm-up. Also: sales sent, accepted by the POS, posted by the connector (its
``/metrics``), and its backlog at the end, so a stalled connector cannot pass as a lean one.

Duration: 30 minutes by default; ``--seconds N`` or ``TILLBENCH_SOAK_SECONDS=N`` shortens it
(``--quick``, as in ``python -m benchmarks --quick``: 2 minutes). ``TILLBENCH_SOAK_RATE``
sets the sales per second (default 4).

    python -m benchmarks.soak [--seconds 120] [--rate 4] [--out soak.json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

from benchmarks.cpu import process_tree

DEFAULT_SECONDS = 1800.0
QUICK_SECONDS = 120.0
DEFAULT_RATE = 4.0
GROWTH_TARGET = 1.10
"""End RSS over warm-up RSS, per process, must stay below this."""
_PAGE = os.sysconf("SC_PAGE_SIZE")
_MIB = 2**20


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of ``pids`` (from ``/proc/PID/statm``); gone processes count 0."""
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    return total


def growth(samples: list[dict[str, float]], key: str, *, warmup_s: float) -> dict[str, Any]:
    """RSS of ``key`` at the end of the warm-up and at the end (means of three samples),
    their ratio and the slope after warm-up (MiB per hour)."""
    after = [s for s in samples if s["t"] >= warmup_s]
    if len(after) < 2:
        return {"warm_mib": None, "end_mib": None, "growth": None, "slope_mib_per_h": None}
    head = after[: min(3, len(after) // 2 or 1)]
    tail = after[-min(3, len(after) // 2 or 1) :]
    warm = statistics.fmean(s[key] for s in head)
    end = statistics.fmean(s[key] for s in tail)
    ts = [s["t"] for s in after]
    ys = [s[key] for s in after]
    slope = statistics.linear_regression(ts, ys).slope if len(set(ts)) > 1 else 0.0
    return {
        "warm_mib": round(warm, 2),
        "end_mib": round(end, 2),
        "growth": round(end / warm, 4) if warm else None,
        "slope_mib_per_h": round(slope * 3600, 2),
    }


def _seconds(quick: bool, seconds: float | None) -> float:
    if seconds is not None:
        return float(seconds)
    if "TILLBENCH_SOAK_SECONDS" in os.environ:
        return float(os.environ["TILLBENCH_SOAK_SECONDS"])
    return QUICK_SECONDS if quick else DEFAULT_SECONDS


def _sales(scenario: Any) -> list[dict[str, Any]]:
    """The scenario's sales as POS driver payloads (the templates the sender loops over)."""
    from simulator import iter_events
    from tillbench.live.payloads import transaction_payload

    return [
        transaction_payload(e.kind, e.document, zone=scenario.zone)
        for e in iter_events(scenario)
        if e.kind == "sale"
    ]


def _fresh(template: dict[str, Any], n: int) -> dict[str, Any]:
    """``template`` as a new sale: its own transaction id, completed now."""
    now = dt.datetime.now(dt.UTC).isoformat()
    sale = {**template, "txn_id": f"{template['txn_id']}-X{n}"}
    for key in ("completed_at", "started_at", "created_at"):
        if key in sale:
            sale[key] = now
    return sale


class _Sender:
    """Posts ``rate`` sales a second to the POS driver door, on a steady schedule."""

    def __init__(self, pos_url: str, token: str, sales: list[dict[str, Any]], rate: float) -> None:
        self.pos_url = pos_url.rstrip("/")
        self.token = token
        self.sales: Iterator[dict[str, Any]] = itertools.cycle(sales)
        self.rate = rate
        self.sent = 0
        self.accepted = 0
        self.statuses: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="soak-sender", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        started = time.monotonic()
        with httpx.Client(base_url=self.pos_url, headers=headers, timeout=30) as client:
            while not self._stop.is_set():
                due = started + self.sent / self.rate
                wait = due - time.monotonic()
                if wait > 0 and self._stop.wait(wait):
                    return
                sale = _fresh(next(self.sales), self.sent)
                self.sent += 1
                try:
                    status = client.post(
                        "/driver/v1/transactions", json={"transactions": [sale]}
                    ).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__  # type: ignore[assignment]
                self.statuses[str(status)] = self.statuses.get(str(status), 0) + 1
                if isinstance(status, int) and 200 <= status < 300:
                    self.accepted += 1


def _metrics(url: str) -> dict[str, Any]:
    try:
        return dict(httpx.get(f"{url}/metrics", timeout=5).json())
    except (httpx.HTTPError, ValueError):
        return {}


def run(
    quick: bool = False,
    *,
    seconds: float | None = None,
    rate: float | None = None,
    sample_every: float | None = None,
    progress: bool = True,
) -> dict[str, Any]:
    """Soak the stack for ``seconds`` (module docstring); the figures as a dict."""
    import scenarios
    from tillbench.live.connector import resolve_connector
    from tillbench.live.mocks import ADMIN_TOKEN
    from tillbench.live.processes import ProcessSet
    from tillbench.load.stack import launch_stack, start_connector

    duration = _seconds(quick, seconds)
    rate = float(rate or os.environ.get("TILLBENCH_SOAK_RATE") or DEFAULT_RATE)
    every = sample_every or max(2.0, min(30.0, duration / 60))
    warmup = min(max(duration / 4, min(60.0, duration / 2)), duration / 2)
    scenario = scenarios.override(scenarios.load("demo"), {"faults": []})
    templates = _sales(scenario)
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory(prefix="tillbench-soak-") as tmp, ProcessSet() as procs:
        run_dir = Path(tmp)
        servers = launch_stack(procs, scenario=scenario, run_dir=run_dir, seed=None)
        connector = start_connector(
            procs,
            resolve_connector("realtime", None),
            servers,
            scenario=scenario,
            run_dir=run_dir,
            speed=float(scenario.speed),
        )
        assert servers.pos is not None
        assert servers.erp is not None
        assert connector.proc is not None
        roots = {
            "pos": servers.pos.server.proc.pid,
            "erp": servers.erp.server.proc.pid,
            "connector": connector.proc.pid,
        }
        sender = _Sender(servers.pos_url, ADMIN_TOKEN, templates, rate)
        started = time.monotonic()
        sender.start()
        try:
            while (elapsed := time.monotonic() - started) < duration:
                sample = {"t": round(elapsed, 2)}
                for name, root in roots.items():
                    sample[f"{name}_mib"] = round(rss_bytes(process_tree(root)) / _MIB, 2)
                samples.append(sample)
                if progress:
                    print(
                        f"soak t={elapsed:,.0f}/{duration:,.0f} s sent {sender.sent:,} "
                        + " ".join(f"{k} {v:,.1f}" for k, v in sample.items() if k != "t"),
                        file=sys.stderr,
                        flush=True,
                    )
                time.sleep(max(0.0, min(every, duration - (time.monotonic() - started))))
        finally:
            sender.stop()
        settle_until = time.monotonic() + 30
        metrics = _metrics(connector.url)
        while metrics.get("backlog") and time.monotonic() < settle_until:
            time.sleep(1)
            metrics = _metrics(connector.url)
        exits = list(connector.exits)
        connector.stop()
    processes = {
        name: growth(samples, f"{name}_mib", warmup_s=warmup)
        for name in ("pos", "erp", "connector")
    }
    worst = max((p["growth"] for p in processes.values() if p["growth"] is not None), default=None)
    return {
        "seconds": duration,
        "rate_per_s": rate,
        "warmup_s": round(warmup, 1),
        "sample_every_s": every,
        "sent": sender.sent,
        "accepted": sender.accepted,
        "statuses": sender.statuses,
        "posted": metrics.get("posted"),
        "backlog_end": metrics.get("backlog"),
        "dead_letters": metrics.get("dead_letters"),
        "connector_exits": exits,
        "processes": processes,
        "targets": {
            "growth_below_1.10": {
                "value": worst,
                "met": worst is not None and worst < GROWTH_TARGET and not exits,
            }
        },
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--seconds", type=float, default=None, help="default 1800")
    parser.add_argument("--rate", type=float, default=None, help="sales per second (4)")
    parser.add_argument(
        "--out", type=Path, default=None, help="write the JSON here too (a folder: soak.json in it)"
    )
    args = parser.parse_args(argv)
    out: Path | None = args.out
    if out is not None and out.is_dir():
        out = out / "soak.json"
    if out is not None and not out.parent.is_dir():
        parser.error(f"--out: {out.parent} is not a folder; create it or name another")
    result = run(seconds=args.seconds, rate=args.rate)
    text = json.dumps(result, indent=2)
    if out is not None:
        out.write_text(text + "\n")
    print(text)
    return 0 if result["targets"]["growth_below_1.10"]["met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
