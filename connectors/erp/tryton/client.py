"""A thread-safe JSON-RPC client of one Tryton 8.2 database: `TrytonRpc`.

It logs in lazily (``common.db.login``), sends ``Authorization: Session …``, encodes
values in Tryton's JSON form (`connectors.erp.tryton.codec`), logs in again on an expired
session and retries Tryton's lock errors (HTTP 503: trytond gave up on a row or sequence
lock after its own retries) with exponential backoff and full jitter. Every refusal becomes a
`TrytonError` whose ``status`` reads like HTTP: 400 user error (domain, validation), 403
access, 409 unique reference or concurrent edit, 503 lock after every attempt, 0 no answer.

Example::

    rpc = TrytonRpc("http://127.0.0.1:8000/tillbench/", user="admin", password="…")
    rpc.model("sale.point", "search_read", [], 0, None, None, ["name"])
"""

from __future__ import annotations

import base64
import random
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from connectors.core.errors import ConnectorError
from connectors.core.retry import RetryPolicy
from connectors.erp.tryton.codec import dumps, loads

__all__ = ["TrytonError", "TrytonRpc", "TrytonStats"]


class TrytonError(ConnectorError):
    """Tryton refused or did not answer; ``status`` is HTTP-like (0 = no answer)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"Tryton {status}: {message}")
        self.status = status
        self.message = message


@dataclass(frozen=True, slots=True)
class TrytonStats:
    """Counters of one `TrytonRpc` (a snapshot)."""

    calls: int
    """HTTP requests sent, retries and logins included"""
    status_503: int
    """answers with HTTP 503 (Tryton's lock errors)"""
    retries: int
    """requests sent again after a 503"""
    relogins: int
    """logins after the first (expired sessions)"""


class TrytonRpc:
    """A thread-safe JSON-RPC client of one Tryton database.

    ``url`` is the database URL, ``http://HOST:PORT/DBNAME/``; requests go to its ``rpc/``.
    """

    def __init__(
        self,
        url: str,
        *,
        user: str,
        password: str,
        timeout: float = 30.0,
        attempts: int = 6,
        backoff_s: float = 0.2,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``transport`` replaces the network (tests pass an ``httpx.MockTransport``)."""
        if attempts < 1:
            raise ValueError(f"attempts: must be >= 1, got {attempts}")
        self.url = url if url.endswith("/") else url + "/"
        self._endpoint = self.url + "rpc/"
        self._user = user
        self._password = password
        self._policy = RetryPolicy(attempts=attempts, base=backoff_s, cap=max(backoff_s, 5.0))
        self._rng = rng or random.Random()
        self._client = httpx.Client(
            timeout=timeout, headers={"Content-Type": "application/json"}, transport=transport
        )
        self._lock = threading.Lock()
        self._login_lock = threading.Lock()
        self._auth: str | None = None
        self._context: dict[str, Any] = {}
        self._logins = 0
        self._calls = 0
        self._503 = 0
        self._retries = 0
        self._ids = 0

    # public API

    def call(self, method: str, *params: Any) -> Any:
        """Call `method` (``model.<model>.<method>``, ``common.…``) and return its result."""
        refused: str | None = None
        for _attempt in range(2):
            auth = self._session(refused=refused)
            status, body = self._send(method, list(params), auth)
            if status == 401 and not method.startswith("common."):
                refused = auth
                continue
            return _result(method, status, body)
        raise TrytonError(401, f"{method}: the session was refused right after a new login")

    def model(
        self, model: str, method: str, *args: Any, context: dict[str, Any] | None = None
    ) -> Any:
        """Call ``model.<model>.<method>(*args, context)`` with the user's context merged in."""
        self._session()
        ctx = {**self._context, **(context or {})}
        return self.call(f"model.{model}.{method}", *args, ctx)

    @property
    def context(self) -> dict[str, Any]:
        """The user's preferences (company, language, …) read at login."""
        self._session()
        return dict(self._context)

    def stats(self) -> TrytonStats:
        with self._lock:
            return TrytonStats(
                calls=self._calls,
                status_503=self._503,
                retries=self._retries,
                relogins=max(0, self._logins - 1),
            )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> TrytonRpc:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # internals

    def _session(self, *, refused: str | None = None) -> str:
        """The session header; a new login when there is none or `refused` is the current one."""
        auth = self._auth
        if auth is not None and auth != refused:
            return auth
        with self._login_lock:
            if self._auth is not None and self._auth != refused:
                return self._auth
            status, body = self._send(
                "common.db.login", [self._user, {"password": self._password}, "en"], None
            )
            if status in (401, 403) or (isinstance(body, dict) and "error" in body):
                raise TrytonError(
                    401,
                    f"login of {self._user!r} at {self.url} refused; check the user and "
                    f"password (`tillbench erp tryton start` prints them)",
                )
            uid, session = _result("common.db.login", status, body)[:2]
            token = base64.b64encode(f"{self._user}:{uid}:{session}".encode()).decode()
            new_auth = f"Session {token}"
            with self._lock:
                self._logins += 1
            status, body = self._send("model.res.user.get_preferences", [True, {}], new_auth)
            self._context = dict(_result("get_preferences", status, body))
            self._context.pop("locale", None)
            self._auth = new_auth
            return new_auth

    def _send(self, method: str, params: list[Any], auth: str | None) -> tuple[int, Any]:
        headers = {"Authorization": auth} if auth else {}
        for attempt in range(self._policy.attempts):
            with self._lock:
                self._ids += 1
                request_id = self._ids
                self._calls += 1
            payload = dumps({"id": request_id, "method": method, "params": params})
            try:
                answer = self._client.post(self._endpoint, content=payload, headers=headers)
            except httpx.HTTPError as exc:
                raise TrytonError(
                    0, f"{method}: no answer from {self._endpoint} ({type(exc).__name__}: {exc})"
                ) from None
            if answer.status_code == 503:
                with self._lock:
                    self._503 += 1
                if attempt + 1 < self._policy.attempts:
                    with self._lock:
                        self._retries += 1
                    time.sleep(self._policy.delay(attempt, self._rng))
                    continue
                raise TrytonError(
                    503,
                    f"{method}: Tryton stayed locked for {self._policy.attempts} attempts "
                    f"({_text(answer)})",
                )
            try:
                body = loads(answer.content) if answer.content else None
            except ValueError:
                body = _text(answer)
            return answer.status_code, body
        raise AssertionError("unreachable")


def _text(answer: httpx.Response) -> str:
    text = answer.text
    if "<p>" in text:
        text = text.split("<p>", 1)[1].split("</p>", 1)[0]
    return " ".join(text.split())[:300]


def _result(method: str, status: int, body: Any) -> Any:
    if status != 200:
        raise TrytonError(status if status else 500, f"{method}: HTTP {status}: {str(body)[:300]}")
    if not isinstance(body, dict):
        raise TrytonError(500, f"{method}: not a JSON-RPC answer: {str(body)[:300]}")
    if "error" in body and body["error"] is not None:
        raise _error(method, body["error"])
    return body.get("result")


def _error(method: str, error: Any) -> TrytonError:
    """Map Tryton's ``{"error": [...]}`` to a status and a readable message."""
    if not isinstance(error, list) or not error:
        return TrytonError(500, f"{method}: {error!r}")
    kind, args = error[0], error[1] if len(error) > 1 else None
    detail = args
    if isinstance(args, list) and args:
        first = args[0]
        detail = first if isinstance(first, str) else str(first)
        if len(args) > 1 and isinstance(args[1], str) and args[1]:
            detail = f"{detail} {args[1]}"
    text = f"{detail}".strip()
    if kind in {"UserError", "UserWarning", "ValidationError"}:
        return TrytonError(400, f"{method}: {text}")
    if kind == "AccessError":
        return TrytonError(403, f"{method}: {text}")
    if kind == "ConcurrencyException":
        return TrytonError(409, f"{method}: record modified concurrently: {text}")
    if kind in {"LoginException", "RateLimitException"}:
        return TrytonError(401 if kind == "LoginException" else 429, f"{method}: {text}")
    message = str(kind)
    lowered = message.lower()
    if "unique" in lowered and "pos_reference" in lowered:
        return TrytonError(409, f"{method}: a POS reference exists already ({message})")
    if "could not obtain lock" in lowered or "database is locked" in lowered:
        return TrytonError(503, f"{method}: {message}")
    return TrytonError(500, f"{method}: {message}")
