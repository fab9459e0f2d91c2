"""Webhook dispatcher: delivers the outbox at least once, signed, with retries and faults.

Each delivery is POSTed with `x-square-hmacsha256-signature` = base64 HMAC-SHA256 of
notification URL + raw body (Square). A 2xx within the timeout marks it delivered;
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
from typing import Protocol

import httpx

from mocks.pos.background.settler import settle_due
from mocks.pos.engine import outbox
from mocks.pos.engine.outbox import Due
from mocks.pos.engine.signing import SIGNATURE_HEADER, sign
from mocks.pos.engine.store import PosStore
from mocks.pos.settings import WebhookSettings


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


class Dispatcher:
    """Runs the delivery and settlement loop; `run_once` does one pass (tests use it)."""

    def __init__(
        self,
        store: PosStore,
        *,
        faults: FaultSource | None,
        rng: random.Random,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.store = store
        self.faults = faults
        self.rng = rng
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
        settled = await asyncio.to_thread(settle_due, self.store)
        lease = self.config.timeout_seconds * 3 + 5
        batch = await asyncio.to_thread(
            outbox.claim, self.store, lease_seconds=lease, limit=self.config.batch_size
        )
        if batch:
            limit = asyncio.Semaphore(self.config.concurrency)

            async def one(due: Due) -> None:
                async with limit:
                    await self.deliver(client, due)

            await asyncio.gather(*(one(due) for due in batch))
        return settled + len(batch)

    async def deliver(self, client: httpx.AsyncClient, due: Due) -> None:
        """Apply faults (first attempt only), send, and record the outcome."""
        copies = 1
        if due.fault is None and self.faults is not None:
            plan = self.faults.webhook_action()
            if plan.drop:
                await asyncio.to_thread(self._drop, due)
                return
            hold = plan.delay + (self.config.reorder_hold_seconds if plan.reorder else 0.0)
            fault = "duplicate" if plan.copies > 1 else "none"
            if hold > 0:
                kind = "reorder" if plan.reorder else "delay"
                await asyncio.to_thread(
                    outbox.defer, self.store, due, fault=f"{kind}+{fault}", seconds=hold
                )
                await asyncio.to_thread(
                    outbox.log_attempt,
                    self.store,
                    due,
                    attempt=due.attempts,
                    outcome="held",
                    status_code=None,
                    latency_ms=None,
                    error=f"{kind} fault: held back {hold:.3f} s",
                )
                return
            due = _with_fault(due, fault)
        if due.fault is not None and due.fault.endswith("duplicate"):
            copies = 2
        status_code: int | None = None
        error: str | None = None
        for copy in range(copies):
            status_code, error, latency = await self._send(client, due)
            outcome = "delivered" if error is None else "failed"
            if copy:
                outcome = f"duplicate-{outcome}"
            await asyncio.to_thread(
                outbox.log_attempt,
                self.store,
                due,
                attempt=due.attempts + 1,
                outcome=outcome,
                status_code=status_code,
                latency_ms=latency,
                error=error,
            )
        await asyncio.to_thread(self._finish, due, status_code, error)

    async def _send(
        self, client: httpx.AsyncClient, due: Due
    ) -> tuple[int | None, str | None, float]:
        headers = {
            "content-type": "application/json",
            SIGNATURE_HEADER: sign(due.signature_key, due.url, due.body),
            "square-version": due.api_version,
            "square-environment": "Sandbox",
            "user-agent": "Square Connect v2 (tillbench mock)",
        }
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

    def _drop(self, due: Due) -> None:
        outbox.log_attempt(
            self.store,
            due,
            attempt=due.attempts + 1,
            outcome="dropped",
            status_code=None,
            latency_ms=None,
            error="dropped by fault injection",
        )
        outbox.finish(
            self.store,
            due,
            status="DROPPED",
            next_at=None,
            fault="drop",
            last_status=None,
            last_error="dropped by fault injection",
        )

    def _finish(self, due: Due, status_code: int | None, error: str | None) -> None:
        if error is None:
            outbox.finish(
                self.store,
                due,
                status="DELIVERED",
                next_at=None,
                fault=due.fault,
                last_status=status_code,
                last_error=None,
            )
            return
        now = self.store.clock().timestamp()
        delay = self.backoff(due.attempts + 1)
        expired = now + delay - due.first_at > self.config.retry_window_seconds
        outbox.finish(
            self.store,
            due,
            status="FAILED" if expired else "PENDING",
            next_at=now + delay,
            fault=due.fault,
            last_status=status_code,
            last_error=error,
        )

    def backoff(self, attempts: int) -> float:
        """Delay before retry number `attempts` (1-based): base · 2^(n-1), capped, jittered."""
        base = min(
            self.config.retry_cap_seconds,
            self.config.retry_base_seconds * 2 ** min(attempts - 1, 30),
        )
        jitter = self.config.jitter
        return float(base * self.rng.uniform(1 - jitter, 1 + jitter))


def _with_fault(due: Due, fault: str) -> Due:
    return Due(
        outbox_id=due.outbox_id,
        event_id=due.event_id,
        event_type=due.event_type,
        subscription_id=due.subscription_id,
        url=due.url,
        signature_key=due.signature_key,
        api_version=due.api_version,
        body=due.body,
        attempts=due.attempts,
        first_at=due.first_at,
        fault=fault,
    )
