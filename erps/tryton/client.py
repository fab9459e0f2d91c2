"""The harness's own JSON-RPC client of a Tryton database: log in, read, nothing else.

Verification must not run the code under test, so the harness never reads Tryton through
a connector's client: this one has its own session (``common.db.login``, then
``Authorization: Session base64(user:uid:session)``; a new login when the session expired),
Tryton's JSON (`erps.tryton.codec`) and only read methods (``read``, ``search``,
``search_read``, ``search_count``). A lock answer (HTTP 503, or a "database is locked"
error while a connector writes) is retried with exponential backoff; every other refusal is
a `TrytonReadError`.

Example::

    with TrytonClient("http://127.0.0.1:8000/tillbench/", user="admin", password="…") as client:
        codes = [p["code"] for p in client.search_read("product.product", [], ["code"])]
"""

from __future__ import annotations

import base64
import itertools
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from erps.errors import TrytonReadError
from erps.tryton.codec import dumps, loads

__all__ = ["READ_METHODS", "TrytonClient"]

READ_METHODS = frozenset({"read", "search", "search_read", "search_count"})
"""The model methods the client calls; anything else is refused before it is sent."""
_ERROR_STATUS = {
    "UserError": 400,
    "UserWarning": 400,
    "ValidationError": 400,
    "AccessError": 403,
    "LoginException": 401,
}


class TrytonClient:
    """A thread-safe, read-only JSON-RPC client of one Tryton database.

    ``url`` is the database URL, ``http://HOST:PORT/DBNAME/``; requests go to its ``rpc/``.
    ``transport`` replaces the network and ``sleep`` the backoff's waits (tests).
    """

    def __init__(
        self,
        url: str,
        *,
        user: str,
        password: str,
        timeout: float = 30.0,
        attempts: int = 4,
        backoff_s: float = 0.25,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if attempts < 1:
            raise ValueError(f"attempts: must be >= 1, got {attempts}")
        self.url = url if url.endswith("/") else url + "/"
        self._endpoint = self.url + "rpc/"
        self._user = user
        self._password = password
        self._attempts = attempts
        self._backoff_s = backoff_s
        self._sleep = sleep
        self._http = httpx.Client(
            timeout=timeout, headers={"Content-Type": "application/json"}, transport=transport
        )
        self._ids = itertools.count(1)
        self._login_lock = threading.Lock()
        self._auth: str | None = None
        self._context: dict[str, Any] = {}

    def login(self) -> int:
        """Log in (again) and read the user's preferences; the user's id."""
        with self._login_lock:
            uid, _auth = self._login()
            return uid

    @property
    def context(self) -> dict[str, Any]:
        """The user's preferences read at login (company, language, …)."""
        self._session(refused=None)
        return dict(self._context)

    def call(
        self, model: str, method: str, *args: Any, context: dict[str, Any] | None = None
    ) -> Any:
        """``model.<model>.<method>(*args, context)``, the user's context merged in."""
        if method not in READ_METHODS:
            raise ValueError(
                f"{model}.{method}: the harness's Tryton client only reads "
                f"({', '.join(sorted(READ_METHODS))})"
            )
        name = f"model.{model}.{method}"
        refused: str | None = None
        for _attempt in range(2):
            auth = self._session(refused=refused)
            params = [*args, {**self._context, **(context or {})}]
            status, body = self._send(name, params, auth)
            if status == 401:
                refused = auth
                continue
            return _result(name, status, body)
        raise TrytonReadError(401, f"{name}: the session was refused right after a new login")

    def search_read(
        self,
        model: str,
        domain: list[Any],
        fields: list[str],
        *,
        context: dict[str, Any] | None = None,
        page: int = 1000,
    ) -> Iterator[dict[str, Any]]:
        """Every record of `model` matching `domain`, in id order, one call per `page`."""
        offset = 0
        while True:
            rows = self.call(
                model, "search_read", domain, offset, page, [["id", "ASC"]], fields,
                context=context,
            )  # fmt: skip
            yield from rows
            if len(rows) < page:
                return
            offset += page

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> TrytonClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _session(self, *, refused: str | None) -> str:
        """The session header; a new login when there is none or `refused` is the current one."""
        auth = self._auth
        if auth is not None and auth != refused:
            return auth
        with self._login_lock:
            auth = self._auth
            if auth is None or auth == refused:
                _uid, auth = self._login()
            return auth

    def _login(self) -> tuple[int, str]:
        status, body = self._send(
            "common.db.login", [self._user, {"password": self._password}, "en"], None
        )
        if status in (401, 403) or (isinstance(body, dict) and body.get("error")):
            raise TrytonReadError(
                401,
                f"login of {self._user!r} at {self.url} refused; check the user and password "
                "(`tillbench erp tryton start` prints them)",
            )
        uid, session = _result("common.db.login", status, body)[:2]
        token = base64.b64encode(f"{self._user}:{uid}:{session}".encode()).decode()
        auth = f"Session {token}"
        status, body = self._send("model.res.user.get_preferences", [True, {}], auth)
        context = dict(_result("model.res.user.get_preferences", status, body))
        context.pop("locale", None)
        self._context = context
        self._auth = auth
        return int(uid), auth

    def _send(self, method: str, params: list[Any], auth: str | None) -> tuple[int, Any]:
        headers = {"Authorization": auth} if auth else {}
        for attempt in range(self._attempts):
            payload = dumps({"id": next(self._ids), "method": method, "params": params})
            try:
                answer = self._http.post(self._endpoint, content=payload, headers=headers)
            except httpx.HTTPError as exc:
                raise TrytonReadError(
                    0, f"{method}: no answer from {self._endpoint} ({type(exc).__name__}: {exc})"
                ) from None
            try:
                body = loads(answer.content) if answer.content else None
            except ValueError:
                body = _text(answer)
            locked = answer.status_code == 503 or _is_lock(body)
            if not locked:
                return answer.status_code, body
            if attempt + 1 < self._attempts:
                self._sleep(min(self._backoff_s * 2**attempt, 5.0))
        raise TrytonReadError(
            503, f"{method}: Tryton stayed locked for {self._attempts} attempts ({_text(answer)})"
        )


def _is_lock(body: Any) -> bool:
    if not isinstance(body, dict) or not body.get("error"):
        return False
    text = str(body["error"]).lower()
    return "could not obtain lock" in text or "database is locked" in text


def _text(answer: httpx.Response) -> str:
    text = answer.text
    if "<p>" in text:
        text = text.split("<p>", 1)[1].split("</p>", 1)[0]
    return " ".join(text.split())[:300]


def _result(method: str, status: int, body: Any) -> Any:
    if status != 200:
        raise TrytonReadError(status or 500, f"{method}: HTTP {status}: {str(body)[:300]}")
    if not isinstance(body, dict):
        raise TrytonReadError(500, f"{method}: not a JSON-RPC answer: {str(body)[:300]}")
    error = body.get("error")
    if error:
        kind = str(error[0] if isinstance(error, list) and error else error)
        raise TrytonReadError(_ERROR_STATUS.get(kind, 500), f"{method}: {str(error)[:300]}")
    return body.get("result")
