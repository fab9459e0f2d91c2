"""Webhook dispatcher: delivers the outbox at least once, signed, with retries and faults.

Its database work runs on the event loop, like the app's requests, so within one process
nothing waits for a SQLite lock held by another thread; it is a few short transactions per
pass (settle, claim a batch, record the batch's outcomes).

Each delivery is POSTed with the headers the dialect gives (`WebhookHeaders`: its
signature, e.g. Square's `x-square-hmacsha256-signature`, and vendor headers). A 2xx
within the timeout marks it delivered;
anything else schedules a retry with exponential backoff and jitter until the retry
window closes (24 h by default, REFERENCE.md), then it is FAILED. The fault engine decides,
once per delivery, to drop it, send it twice, hold it back so a later event overtakes it,
or delay it. Every attempt lands in the delivery log.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

import httpx

from mocks.pos.engine import outbox
from mocks.pos.engine.background.settler import settle_due
from mocks.pos.engine.outbox import Due
from mocks.pos.engine.settings import WebhookSettings
from mocks.pos.engine.store import PosStore
from mocks.pos.engine.timestamps import fmt

WebhookHeaders = Callable[[Due], Mapping[str, str]]
"""Dialect hook: the headers of one delivery besides its content type (signature, vendor
version, user agent); `Due` carries the URL, body, signature key and API version."""

WebhookBody = Callable[[Due], bytes]
"""Dialect hook: the body of one delivery in the vendor's payload shape, from the engine's
stored event (`Due.body`); the same every attempt, so retries carry the same bytes."""


class WebhookPlan(Protocol):
    """What the fault engine decided for one delivery (mocks.faults.WebhookAction)."""

    drop: bool
    copies: int
    reorder: bool
    delay: float


class FaultSource(Protocol):
    """Where webhook fault decisions come from (mocks.faults.FaultEngine)."""

    def webhook_action(self) -> WebhookPlan:
        """Decide the fate of one delivery."""
        ...


@dataclass(frozen=True)
class Outcome:
    """What one delivery pass decided for one outbox row, written in one transaction."""

    due: Due
    rows: list[dict[str, Any]]
    status: str
    fault: str | None = None
    next_at: float | None = None
    status_code: int | None = None
    error: str | None = None


class Dispatcher:
    """Runs the delivery and settlement loop; `run_once` does one pass (tests use it)."""

    def __init__(
        self,
        store: PosStore,
        *,
        faults: FaultSource | None,
        rng: random.Random,
        headers: WebhookHeaders,
        client: httpx.AsyncClient | None = None,
        body: WebhookBody | None = None,
    ) -> None:
        self.store = store
        self.faults = faults
        self.rng = rng
        self.headers = headers
        self.body = body
        self.config: WebhookSettings = store.settings.webhooks
        self._client = client
        self._stopping = asyncio.Event()

    async def run(self) -> None:
        """Loop until `stop()`; errors of one pass are retried on the next."""
        async with self._make_client() as client:
            while not self._stopping.is_set():
                busy = 0
                with contextlib.suppress(Exception):
                    busy = await self.run_once(client)
                if not busy:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(
                            self._stopping.wait(), timeout=self.config.poll_seconds
                        )

    def stop(self) -> None:
        """Ask the loop to finish after the current pass."""
        self._stopping.set()

    def _make_client(self) -> contextlib.AbstractAsyncContextManager[httpx.AsyncClient]:
        if self._client is not None:
            return contextlib.nullcontext(self._client)
        return httpx.AsyncClient(
            timeout=self.config.timeout_seconds,
            limits=httpx.Limits(max_connections=self.config.concurrency),
        )

    async def run_once(self, client: httpx.AsyncClient) -> int:
        """Settle what is due and send one batch of due deliveries; returns the work done."""
        settled = settle_due(self.store)
        lease = self.config.timeout_seconds * 3 + 5
        batch = outbox.claim(self.store, lease_seconds=lease, limit=self.config.batch_size)
        if self.body is not None:
            render = self.body
            batch = [replace(due, body=render(due)) for due in batch]
        if batch:
            limit = asyncio.Semaphore(self.config.concurrency)

            async def one(due: Due) -> Outcome:
                async with limit:
                    return await self.deliver(client, due)

            outcomes = await asyncio.gather(*(one(due) for due in batch))
            self._record(outcomes)
        return settled + len(batch)

    async def deliver(self, client: httpx.AsyncClient, due: Due) -> Outcome:
        """Apply faults (decided once, at the first attempt) and send; returns what to record."""
        now = self.store.clock
        if due.fault is None and self.faults is not None:
            plan = self.faults.webhook_action()
            if plan.drop:
                return Outcome(
                    due,
                    [
                        outbox.attempt_row(
                            due,
                            attempt=due.attempts + 1,
                            sent_at=fmt(now()),
                            outcome="dropped",
                            error="dropped by fault injection",
                        )
                    ],
                    status="DROPPED",
                    fault="drop",
                    error="dropped by fault injection",
                )
            hold = plan.delay + (self.config.reorder_hold_seconds if plan.reorder else 0.0)
            copies = "duplicate" if plan.copies > 1 else "none"
            if hold > 0:
                kind = "reorder" if plan.reorder else "delay"
                return Outcome(
                    due,
                    [
                        outbox.attempt_row(
                            due,
                            attempt=due.attempts,
                            sent_at=fmt(now()),
                            outcome="held",
                            error=f"{kind} fault: held back {hold:.3f} s",
                        )
                    ],
                    status="HELD",
                    fault=f"{kind}+{copies}",
                    next_at=now().timestamp() + hold,
                )
            due = replace(due, fault=copies)
        copies_sent = 2 if due.fault is not None and due.fault.endswith("duplicate") else 1
        rows = []
        status_code: int | None = None
        error: str | None = None
        for copy in range(copies_sent):
            status_code, error, latency = await self._send(client, due)
            outcome = "delivered" if error is None else "failed"
            rows.append(
                outbox.attempt_row(
                    due,
                    attempt=due.attempts + 1,
                    sent_at=fmt(now()),
                    outcome=f"duplicate-{outcome}" if copy else outcome,
                    status_code=status_code,
                    latency_ms=latency,
                    error=error,
                )
            )
        if error is None:
            return Outcome(due, rows, status="DELIVERED", fault=due.fault, status_code=status_code)
        delay = self.backoff(due.attempts + 1)
        retry_at = now().timestamp() + delay
        expired = retry_at - due.first_at > self.config.retry_window_seconds
        return Outcome(
            due,
            rows,
            status="FAILED" if expired else "PENDING",
            fault=due.fault,
            next_at=retry_at,
            status_code=status_code,
            error=error,
        )

    def _record(self, outcomes: list[Outcome]) -> None:
        with self.store.db.begin() as conn:
            outbox.log_attempts(conn, [row for o in outcomes for row in o.rows])
            for o in outcomes:
                if o.status == "HELD":
                    outbox.defer(conn, o.due, fault=o.fault or "held", until=o.next_at or 0.0)
                else:
                    outbox.finish(
                        conn,
                        o.due,
                        status=o.status,
                        next_at=o.next_at,
                        fault=o.fault,
                        last_status=o.status_code,
                        last_error=o.error,
                    )

    async def _send(
        self, client: httpx.AsyncClient, due: Due
    ) -> tuple[int | None, str | None, float]:
        headers = {"content-type": "application/json", **self.headers(due)}
        started = time.perf_counter()
        try:
            response = await client.post(
                due.url, content=due.body, headers=headers, timeout=self.config.timeout_seconds
            )
        except httpx.HTTPError as exc:
            latency = (time.perf_counter() - started) * 1000
            return None, f"{type(exc).__name__}: {exc}"[:500], latency
        latency = (time.perf_counter() - started) * 1000
        if 200 <= response.status_code < 300:
            return response.status_code, None, latency
        return response.status_code, f"HTTP {response.status_code}", latency

    def backoff(self, attempts: int) -> float:
        """Delay before retry number `attempts` (1-based): base · 2^(n-1), capped, jittered."""
        base = min(
            self.config.retry_cap_seconds,
            self.config.retry_base_seconds * 2 ** min(attempts - 1, 30),
        )
        jitter = self.config.jitter
        return float(base * self.rng.uniform(1 - jitter, 1 + jitter))
