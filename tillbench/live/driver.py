"""The traffic driver: replays the simulator's transactions to the mock POS on schedule.

Each transaction falls due at ``wall_origin + t / speed``. A scheduler sleeps until the next
due time and hands the transactions due within ~10 ms to a sender task without waiting
for earlier sends to finish, so a slow POS never delays later sends (no coordinated
omission): ``sent_wall − due_wall`` is the driver's own lag, and ``acked_wall − sent_wall``
the POS's response time. Transactions of a store inside an offline window are buffered and
uploaded in one burst at the window's end with their original completion times, as real
POS offline modes do. Timed actions (ERP-side events, connector outages) run on the same
schedule.

Example::

    driver = Driver(pos_url=..., admin_token=..., clock=clock, transactions=txns)
    records = asyncio.run(driver.run())
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import httpx

from domain.clock import RunClock

__all__ = ["Driver", "SentRecord", "TimedAction", "Txn"]

BATCH_WINDOW_S = 0.010
"""Transactions due within this many wall seconds of each other go in one request."""
MAX_BURST = 1000
"""Largest request of an offline burst (the POS accepts up to 5,000)."""


@dataclasses.dataclass(frozen=True, slots=True)
class Txn:
    """One transaction to send: its sim time, store, kind and driver JSON."""

    t: float
    txn_id: str
    kind: str
    store_id: str
    payload: dict[str, Any]


@dataclasses.dataclass(frozen=True, slots=True)
class TimedAction:
    """Something to do at simulated time ``t`` (an ERP-side event, a connector outage)."""

    t: float
    name: str
    run: Callable[[], Awaitable[object]]


@dataclasses.dataclass(slots=True)
class SentRecord:
    """A row of ``driver/sent.parquet``."""

    txn_id: str
    kind: str
    store_id: str
    due_t: float
    due_wall: float
    sent_wall: float = float("nan")
    acked_wall: float = float("nan")
    status: int = 0
    offline: bool = False
    attempts: int = 0

    @property
    def lag_s(self) -> float:
        return self.sent_wall - self.due_wall

    def row(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["lag_s"] = self.lag_s
        return out


@dataclasses.dataclass(slots=True)
class _Group:
    due_wall: float
    txns: list[Txn]
    offline: bool


@dataclasses.dataclass(slots=True)
class DriverStats:
    """Live counters for the progress display."""

    due: int = 0
    sent: int = 0
    acked: int = 0
    failed: int = 0
    sales_sent: int = 0
    in_flight: int = 0
    max_lag_s: float = 0.0
    sale_walls: list[float] = dataclasses.field(default_factory=list)

    def sales_per_s(self, now: float, window: float = 5.0) -> float:
        """Sales sent per wall second over the last ``window`` seconds."""
        recent = [w for w in self.sale_walls[-5000:] if w >= now - window]
        return len(recent) / window


def offline_window(windows: Sequence[tuple[float, float]], t: float) -> tuple[float, float] | None:
    for start, end in windows:
        if start <= t < end:
            return start, end
    return None


def plan_groups(
    txns: Sequence[Txn],
    *,
    clock: RunClock,
    offline: dict[str, list[tuple[float, float]]] | None = None,
    batch_window_s: float = BATCH_WINDOW_S,
) -> list[_Group]:
    """The send schedule: groups of transactions in due order, offline bursts included."""
    offline = offline or {}
    groups: list[_Group] = []
    bursts: dict[tuple[str, float], list[Txn]] = {}
    for txn in sorted(txns, key=lambda x: (x.t, x.txn_id)):
        window = offline_window(offline.get(txn.store_id, ()), txn.t)
        if window is not None:
            bursts.setdefault((txn.store_id, window[1]), []).append(txn)
            continue
        due = clock.wall_at(txn.t)
        if groups and due - groups[-1].due_wall <= batch_window_s and not groups[-1].offline:
            groups[-1].txns.append(txn)
        else:
            groups.append(_Group(due, [txn], offline=False))
    for (_, end_t), buffered in bursts.items():
        for start in range(0, len(buffered), MAX_BURST):
            groups.append(_Group(clock.wall_at(end_t), buffered[start : start + MAX_BURST], True))
    groups.sort(key=lambda g: g.due_wall)
    return groups


class Driver:
    """Replays ``transactions`` to ``pos_url`` on ``clock`` and runs ``actions`` on time."""

    def __init__(
        self,
        *,
        pos_url: str,
        admin_token: str,
        clock: RunClock,
        transactions: Sequence[Txn],
        offline: dict[str, list[tuple[float, float]]] | None = None,
        actions: Sequence[TimedAction] = (),
        max_in_flight: int = 64,
        attempts: int = 6,
        timeout_s: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.pos_url = pos_url.rstrip("/")
        self.clock = clock
        self.groups = plan_groups(transactions, clock=clock, offline=offline)
        self.actions = sorted(actions, key=lambda a: a.t)
        self.max_in_flight = max_in_flight
        self.attempts = attempts
        self.timeout_s = timeout_s
        self._headers = {"Authorization": f"Bearer {admin_token}"}
        self._transport = transport
        self.records: dict[str, SentRecord] = {}
        self.action_log: list[dict[str, Any]] = []
        self.stats = DriverStats(due=len(transactions))
        for group in self.groups:
            for txn in group.txns:
                self.records[txn.txn_id] = SentRecord(
                    txn_id=txn.txn_id,
                    kind=txn.kind,
                    store_id=txn.store_id,
                    due_t=txn.t,
                    due_wall=group.due_wall,
                    offline=group.offline,
                )

    @property
    def last_due_wall(self) -> float:
        walls = [g.due_wall for g in self.groups] + [self.clock.wall_at(a.t) for a in self.actions]
        return max(walls, default=self.clock.wall_origin)

    async def run(self) -> list[SentRecord]:
        """Send everything on schedule; returns one record per transaction."""
        limits = httpx.Limits(
            max_connections=self.max_in_flight, max_keepalive_connections=self.max_in_flight
        )
        gate = asyncio.Semaphore(self.max_in_flight)
        async with httpx.AsyncClient(
            base_url=self.pos_url,
            headers=self._headers,
            timeout=self.timeout_s,
            limits=limits,
            transport=self._transport,
        ) as client:
            tasks: list[asyncio.Task[None]] = []
            actions = [asyncio.create_task(self._run_action(a)) for a in self.actions]
            for group in self.groups:
                delay = group.due_wall - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(self._send(client, gate, group.txns)))
            await asyncio.gather(*tasks, *actions)
        return list(self.records.values())

    async def _run_action(self, action: TimedAction) -> None:
        due = self.clock.wall_at(action.t)
        delay = due - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        started = time.time()
        entry: dict[str, Any] = {"name": action.name, "t": action.t, "due_wall": due}
        try:
            await action.run()
            entry["error"] = None
        except Exception as exc:  # recorded, the run goes on
            entry["error"] = f"{type(exc).__name__}: {exc}"
        entry.update(started_wall=started, done_wall=time.time())
        self.action_log.append(entry)

    async def _send(
        self, client: httpx.AsyncClient, gate: asyncio.Semaphore, txns: list[Txn]
    ) -> None:
        async with gate:
            self.stats.in_flight += 1
            try:
                status = await self._post(client, txns)
                if status >= 300 and len(txns) > 1:
                    for txn in txns:  # all-or-nothing batch: find the one that fails
                        await self._post(client, [txn])
            finally:
                self.stats.in_flight -= 1

    async def _post(self, client: httpx.AsyncClient, txns: list[Txn]) -> int:
        records = [self.records[t.txn_id] for t in txns]
        body = {"transactions": [t.payload for t in txns]}
        status = 0
        for attempt in range(1, self.attempts + 1):
            now = time.time()
            for record in records:
                if record.attempts == 0:
                    record.sent_wall = now
                    self.stats.sent += 1
                    if record.kind == "sale":
                        self.stats.sales_sent += 1
                        self.stats.sale_walls.append(now)
                    self.stats.max_lag_s = max(self.stats.max_lag_s, record.lag_s)
                record.attempts += 1
            try:
                response = await client.post("/driver/v1/transactions", json=body)
                status = response.status_code
            except httpx.HTTPError:
                status = 0
            if 200 <= status < 300:
                acked = time.time()
                for record in records:
                    record.status, record.acked_wall = status, acked
                self.stats.acked += len(records)
                return status
            if attempt < self.attempts and (
                status in (0, 409, 429) or status >= 500 or len(txns) == 1
            ):
                await asyncio.sleep(min(0.1 * 2 ** (attempt - 1), 2.0))
                continue
            break
        for record in records:
            record.status = status
        if len(txns) == 1:
            self.stats.failed += 1
        return status
