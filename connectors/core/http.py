"""One HTTP API (POS or ERP) over httpx: single attempts that classify failures, and a retry
loop for requests that are safe to repeat.

A failure is *known* (the server did not apply the request: connection refused, 429, 503)
or *unknown* (timeout, reset, other 5xx: it may have committed). Callers that create
things retry an unknown failure only after looking the thing up (the ERP adapters'
``find``).
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.core.errors import ApiError, RetriesExhausted
from connectors.core.metrics import Metrics
from connectors.core.retry import RetryPolicy, parse_retry_after

log = logging.getLogger("connector.http")

NOT_APPLIED = frozenset({429, 503})
"""Statuses after which the server guarantees nothing was done."""
UNCERTAIN = frozenset({408, 500, 502, 504})
"""Statuses after which the request may or may not have been applied."""


class Stopping(Exception):
    """The connector is shutting down; the caller keeps its work queued for the next start."""


@dataclass(frozen=True, slots=True)
class Reply:
    """A response that is not a transient failure (2xx, or a 4xx the caller handles)."""

    status: int
    body: Any
    headers: Mapping[str, str]


class Transient(Exception):
    """One attempt failed in a way worth retrying; ``status`` 0 = no answer (timeout, reset,
    refused); ``applied_unknown``: the server may have applied it."""

    def __init__(
        self, status: int, applied_unknown: bool, retry_after: float | None, detail: str
    ) -> None:
        super().__init__(f"{status or 'no answer'}: {detail[:200]}")
        self.status = status
        self.applied_unknown = applied_unknown
        self.retry_after = retry_after
        self.detail = detail


class HttpApi:
    """Bearer-authenticated JSON API rooted at ``base_url``."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        name: str,
        policy: RetryPolicy,
        timeout: float,
        rng: random.Random,
        metrics: Metrics,
        stop: threading.Event,
        pool: int = 8,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.name = name
        self.policy = policy
        self.metrics = metrics
        self.stop = stop
        self._rng = rng
        self._rng_lock = threading.Lock()
        self._client = httpx.Client(
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            limits=httpx.Limits(max_connections=pool, max_keepalive_connections=pool),
            transport=transport,
        )

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (absolute URLs pass through)."""
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}{path}"

    def once(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        """One attempt: a `Reply` for 2xx/4xx, `Transient` for what is worth retrying."""
        url = self.url(path)
        self.metrics.add(f"{self.name}_requests")
        try:
            response = self._client.request(
                method, url, json=json, params=params, headers=dict(headers or {})
            )
        except httpx.ConnectError as error:
            raise Transient(0, False, None, f"connect: {error}") from None
        except (httpx.TimeoutException, httpx.TransportError) as error:
            kind = type(error).__name__
            raise Transient(0, True, None, f"{kind}: {error}") from None
        status = response.status_code
        if status >= 400:
            self.metrics.add(f"{self.name}_status_{status}")
        if status in NOT_APPLIED or status in UNCERTAIN or status >= 500:
            raise Transient(
                status,
                status not in NOT_APPLIED,
                parse_retry_after(response.headers.get("retry-after")),
                response.text[:300],
            )
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = response.text
        return Reply(status, body, response.headers)

    def pause(self, retry: int, failure: Transient) -> None:
        """Sleep before retry number ``retry``; raises `Stopping` when shutting down."""
        with self._rng_lock:
            wait = self.policy.delay(retry, self._rng, failure.retry_after)
        self.metrics.add("retries")
        self.metrics.add(f"{self.name}_retries")
        log.info(
            "%s retry %d in %.2fs after %s %s",
            self.name,
            retry + 1,
            wait,
            failure.status or "no answer",
            failure.detail[:120],
        )
        if self.stop.wait(wait):
            raise Stopping

    def call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        attempts: int | None = None,
    ) -> Reply:
        """A request that is safe to repeat (reads, idempotent writes), retried per policy.

        Raises `ApiError` for a 4xx, `RetriesExhausted` when every attempt failed."""
        limit = attempts or self.policy.attempts
        last: Transient | None = None
        for attempt in range(limit):
            if attempt:
                assert last is not None
                self.pause(attempt - 1, last)
            try:
                reply = self.once(method, path, json=json, params=params, headers=headers)
            except Transient as failure:
                last = failure
                continue
            if reply.status >= 400:
                raise ApiError(method, self.url(path), reply.status, str(reply.body))
            return reply
        assert last is not None
        raise RetriesExhausted(method, self.url(path), last.status, last.detail)
