"""A Tryton 8.2 client over JSON-RPC: `TrytonRpc` (transport) and `TrytonPos` (POS postings).

`TrytonRpc` logs in lazily (``common.db.login``), sends ``Authorization: Session …``,
encodes Decimals, dates and datetimes in Tryton's JSON form, logs in again on an expired
session and retries Tryton's lock errors (HTTP 503: trytond gave up on a row or sequence
lock after its own retries) with exponential backoff and full jitter. Every refusal becomes a
`TrytonError` whose ``status`` reads like HTTP: 400 user error (domain, validation), 403
access, 409 unique reference or concurrent edit, 503 lock after every attempt, 0 no answer.

`TrytonPos` maps POS documents onto the ``sale_point`` module: a sale (or a return, with
negative quantities) is one ``sale.point.sale`` created, processed (numbered) and posted
(stock move and accounting entry); a stock adjustment is one done ``stock.move`` between the
store's storage location and lost-and-found. The ``tillbench_pos`` module's unique
``pos_reference`` makes every posting idempotent: references already in Tryton are skipped.

Example::

    rpc = TrytonRpc("http://127.0.0.1:8000/tillbench/", user="admin", password="…")
    pos = TrytonPos(rpc)
    pos.post_sales([PosSale("ORD-1", "S0001", date(2026, 11, 23),
                            (PosLine("SKU-00001", Decimal(2), Decimal("3.0498")),),
                            (("credit", Decimal("6.10")),))])
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import random
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx

from connectors.common.errors import ConnectorError
from connectors.common.retry import RetryPolicy

__all__ = [
    "PosLine",
    "PosSale",
    "Posted",
    "StockMove",
    "TrytonError",
    "TrytonPos",
    "TrytonRpc",
    "TrytonStats",
]

_CHUNK = 500
_PRICE = Decimal("0.0001")


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


# --- Tryton's JSON ------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {
            "__class__": "datetime",
            "year": value.year,
            "month": value.month,
            "day": value.day,
            "hour": value.hour,
            "minute": value.minute,
            "second": value.second,
            "microsecond": value.microsecond,
        }
    if isinstance(value, dt.date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    if isinstance(value, dt.time):
        return {
            "__class__": "time",
            "hour": value.hour,
            "minute": value.minute,
            "second": value.second,
            "microsecond": value.microsecond,
        }
    if isinstance(value, dt.timedelta):
        return {"__class__": "timedelta", "seconds": value.total_seconds()}
    if isinstance(value, bytes):
        return {"__class__": "bytes", "base64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(obj: dict[str, Any]) -> Any:
    kind = obj.get("__class__")
    if kind is None:
        return obj
    if kind == "Decimal":
        return Decimal(obj["decimal"])
    if kind == "date":
        return dt.date(obj["year"], obj["month"], obj["day"])
    if kind == "datetime":
        return dt.datetime(
            obj["year"],
            obj["month"],
            obj["day"],
            obj.get("hour", 0),
            obj.get("minute", 0),
            obj.get("second", 0),
            obj.get("microsecond", 0),
        )
    if kind == "time":
        return dt.time(
            obj.get("hour", 0),
            obj.get("minute", 0),
            obj.get("second", 0),
            obj.get("microsecond", 0),
        )
    if kind == "timedelta":
        return dt.timedelta(seconds=obj["seconds"])
    if kind == "bytes":
        return base64.b64decode(obj["base64"])
    return obj


def dumps(value: Any) -> str:
    """JSON in Tryton's form (Decimal, date, datetime, time, timedelta, bytes)."""
    return json.dumps(_encode(value), separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """Parse Tryton's JSON, turning its ``__class__`` objects back into Python values."""
    return json.loads(text, object_hook=_decode)


# --- transport ----------------------------------------------------------------------------


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


# --- POS documents ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PosLine:
    """One line; prices per unit, up to 4 decimals, discounts deducted.

    ``unit_gross_price`` includes tax. ``unit_list_price`` excludes it; when None it is
    derived from the gross price and the product's tax rate (which may split a line's
    amount between net and tax a cent differently from the POS).
    """

    sku: str
    quantity: Decimal
    unit_gross_price: Decimal
    unit_list_price: Decimal | None = None


@dataclass(frozen=True, slots=True)
class PosSale:
    """A POS sale, or a return (negative quantities and payment amounts)."""

    reference: str
    store_id: str
    date: dt.date
    lines: tuple[PosLine, ...]
    payments: tuple[tuple[str, Decimal], ...]
    """(tender name = Tryton payment method, amount)"""


@dataclass(frozen=True, slots=True)
class StockMove:
    """A stock adjustment at a store: + into the store's storage, - out of it."""

    reference: str
    store_id: str
    sku: str
    quantity: Decimal


@dataclass(frozen=True, slots=True)
class Posted:
    """A sale as Tryton holds it."""

    reference: str
    id: int
    number: str | None
    state: str


@dataclass(frozen=True, slots=True)
class _Point:
    id: int
    storage: int
    returns: int


@dataclass(frozen=True, slots=True)
class _Product:
    id: int
    unit: int
    rate: Decimal


class TrytonPos:
    """POS postings on one Tryton database; master data ids are read once and cached."""

    def __init__(self, rpc: TrytonRpc) -> None:
        self.rpc = rpc
        ctx = rpc.context
        self.company = int(ctx.get("company") or 0)
        points = rpc.model(
            "sale.point",
            "search_read",
            [],
            0,
            None,
            None,
            ["name", "storage_location", "return_location"],
        )
        self._points = {
            p["name"]: _Point(
                p["id"], p["storage_location"], p["return_location"] or p["storage_location"]
            )
            for p in points
        }
        rates = {
            t["id"]: Decimal(t["rate"] or 0)
            for t in rpc.model("account.tax", "search_read", [], 0, None, None, ["rate", "type"])
            if t["type"] == "percentage"
        }
        categories = {
            c["id"]: sum((rates.get(t, Decimal(0)) for t in c["customer_taxes"]), Decimal(0))
            for c in rpc.model(
                "product.category", "search_read", [], 0, None, None, ["customer_taxes"]
            )
        }
        self._products: dict[str, _Product] = {}
        for p in _paged(
            rpc,
            "product.product",
            [("code", "!=", None)],
            ["code", "default_uom", "template.account_category"],
        ):
            category = (p.get("template.") or {}).get("account_category")
            self._products[p["code"]] = _Product(
                p["id"], p["default_uom"], categories.get(category, Decimal(0))
            )
        methods = rpc.model(
            "sale.point.payment.method", "search_read", [], 0, None, None, ["name", "cash"]
        )
        self._methods = {m["name"]: m["id"] for m in methods}
        cash = [m["id"] for m in methods if m["cash"]]
        self._cash = cash[0] if cash else None
        lost = rpc.model("stock.location", "search", [("type", "=", "lost_found")], 0, 1, None)
        self._lost_found = lost[0] if lost else None
        currency = rpc.model("company.company", "read", [self.company], ["currency.rounding"])
        rounding = (currency[0].get("currency.") or {}).get("rounding") if currency else None
        self._cent = Decimal(rounding) if rounding else Decimal("0.01")

    # master data

    def skus(self) -> list[str]:
        return sorted(self._products)

    def store_ids(self) -> list[str]:
        return sorted(self._points)

    # sales

    def find(self, references: Sequence[str]) -> dict[str, Posted]:
        """The sales of `references` Tryton has, by reference (missing ones left out)."""
        rows = _by_reference(self.rpc, "sale.point.sale", references, ["number", "state"])
        return {r["pos_reference"]: _posted(r) for r in rows}

    def post_sales(self, sales: Sequence[PosSale]) -> dict[str, Posted]:
        """Create, process and post `sales` in one call each; references found are skipped.

        A reference Tryton has but did not finish (open or done after an interrupted
        post) is finished. Payments are adjusted to Tryton's total when they differ by
        rounding only (Tryton rounds each line, the POS may round per document); returns
        are refunded with the cash method, the only one Tryton allows a negative amount.
        """
        if not sales:
            return {}
        by_ref = {sale.reference: sale for sale in sales}
        if len(by_ref) != len(sales):
            raise TrytonError(400, "post_sales: the same reference twice in one batch")
        values = {ref: self._sale_values(sale) for ref, sale in by_ref.items()}
        for _attempt in range(3):
            found = self.find(list(by_ref))
            todo = [ref for ref in by_ref if ref not in found]
            to_process = [p.id for p in found.values() if p.state == "open"]
            to_post = [p.id for p in found.values() if p.state == "done"]
            if not todo:
                break
            try:
                created = self.rpc.model("sale.point.sale", "create", [values[r] for r in todo])
            except TrytonError as exc:
                if exc.status != 409:
                    raise
                continue
            to_process += created
            break
        else:
            raise TrytonError(409, f"post_sales: references kept colliding: {sorted(by_ref)[:5]}")
        try:
            if to_process:
                self.rpc.model("sale.point.sale", "process", to_process)
            if to_process or to_post:
                self.rpc.model("sale.point.sale", "post", to_process + to_post)
        except TrytonError as exc:
            if exc.status != 400:
                raise
            self._settle([*to_process, *to_post], exc)
        ids = [p.id for p in found.values() if p.state not in {"open", "done"}]
        rows = self.rpc.model(
            "sale.point.sale",
            "read",
            ids + to_process + to_post,
            ["pos_reference", "number", "state"],
        )
        return {r["pos_reference"]: _posted(r) for r in rows}

    def _settle(self, ids: list[int], refused: TrytonError) -> None:
        """Finish `ids` after Tryton refused a step: another caller posting the same
        references may have moved them on (Tryton refuses `process` on a done sale and
        `post` on a posted one), or a sale stays open because its payments fall short."""
        for _attempt in range(3):
            rows = self.rpc.model("sale.point.sale", "read", ids, ["state"])
            opened = [r["id"] for r in rows if r["state"] == "open"]
            done = [r["id"] for r in rows if r["state"] == "done"]
            if not opened and not done:
                return
            try:
                if opened:
                    self.rpc.model("sale.point.sale", "process", opened)
                self.rpc.model("sale.point.sale", "post", opened + done)
            except TrytonError as exc:
                if exc.status != 400:
                    raise
                refused = exc
                continue
            return
        rows = self.rpc.model("sale.point.sale", "read", ids, ["pos_reference", "state"])
        stuck = sorted(r["pos_reference"] for r in rows if r["state"] == "open")
        if stuck:
            raise TrytonError(
                400, f"sales {stuck[:5]} stay open after process: payments do not cover the total"
            ) from refused
        raise refused

    def _sale_values(self, sale: PosSale) -> dict[str, Any]:
        point = self._point(sale.store_id, sale.reference)
        lines = []
        total = Decimal(0)
        for line in sale.lines:
            product = self._product(line.sku, sale.reference)
            gross = line.unit_gross_price.quantize(_PRICE)
            lines.append(
                {
                    "product": product.id,
                    "quantity": float(line.quantity),
                    "unit_gross_price": gross,
                    "unit_list_price": (
                        line.unit_list_price
                        if line.unit_list_price is not None
                        else gross / (1 + product.rate)
                    ).quantize(_PRICE),
                }
            )
            total += (line.quantity * gross).quantize(self._cent)
        return {
            "point": point.id,
            "company": self.company,
            "date": sale.date,
            "pos_reference": sale.reference,
            "lines": [("create", lines)],
            "payments": [("create", self._payments(sale, total))],
        }

    def _payments(self, sale: PosSale, total: Decimal) -> list[dict[str, Any]]:
        paid = [(name, amount) for name, amount in sale.payments if amount]
        difference = total - sum((a for _n, a in paid), Decimal(0))
        if difference:
            if abs(difference) > self._cent * max(1, len(sale.lines)) or not paid:
                raise TrytonError(
                    400,
                    f"sale {sale.reference}: payments {total - difference} do not cover Tryton's "
                    f"total {total} (sum of quantity x unit_gross_price rounded per line)",
                )
            name, amount = paid[-1]
            paid[-1] = (name, amount + difference)
        out = []
        for name, amount in paid:
            method = self._methods.get(name)
            if method is None:
                raise TrytonError(
                    400,
                    f"sale {sale.reference}: unknown tender {name!r}; Tryton's payment methods "
                    f"are {sorted(self._methods)}",
                )
            if amount < 0 and self._cash is not None:
                method = self._cash
            out.append({"method": method, "amount": amount})
        return out

    def _point(self, store_id: str, reference: str) -> _Point:
        point = self._points.get(store_id)
        if point is None:
            raise TrytonError(
                400,
                f"{reference}: unknown store {store_id!r}; Tryton's sale points are "
                f"{sorted(self._points)[:10]} (run `tillbench erp tryton init` for the scenario)",
            )
        return point

    def _product(self, sku: str, reference: str) -> _Product:
        product = self._products.get(sku)
        if product is None:
            raise TrytonError(
                400,
                f"{reference}: unknown SKU {sku!r}; Tryton has no product with that code "
                f"({len(self._products)} products, loaded by `tillbench erp tryton init`)",
            )
        return product

    # stock moves

    def find_moves(self, references: Sequence[str]) -> dict[str, int]:
        """reference -> stock.move id of the adjustments Tryton has."""
        rows = _by_reference(self.rpc, "stock.move", references, [])
        return {r["pos_reference"]: r["id"] for r in rows}

    def move_stock(self, moves: Sequence[StockMove]) -> dict[str, int]:
        """Post adjustments as done moves (one create, one do); zero quantities are skipped."""
        if self._lost_found is None:
            raise TrytonError(400, "move_stock: Tryton has no lost-and-found location")
        by_ref = {m.reference: m for m in moves if m.quantity}
        if not by_ref:
            return {}
        values = {}
        for ref, move in by_ref.items():
            point = self._point(move.store_id, ref)
            product = self._product(move.sku, ref)
            inward = move.quantity > 0
            values[ref] = {
                "product": product.id,
                "unit": product.unit,
                "quantity": float(abs(move.quantity)),
                "from_location": self._lost_found if inward else point.storage,
                "to_location": point.storage if inward else self._lost_found,
                "company": self.company,
                "pos_reference": ref,
            }
        for _attempt in range(3):
            todo = [ref for ref in by_ref if ref not in self.find_moves(list(by_ref))]
            if not todo:
                break
            try:
                ids = self.rpc.model("stock.move", "create", [values[ref] for ref in todo])
                self.rpc.model("stock.move", "tillbench_done", ids)
                break
            except TrytonError as exc:
                if exc.status != 409:
                    raise
        found = self.find_moves(list(by_ref))
        undone = self.rpc.model(
            "stock.move", "search", [("id", "in", list(found.values())), ("state", "!=", "done")]
        )
        if undone:
            self.rpc.model("stock.move", "tillbench_done", undone)
        return found

    # reads

    def stock(self, store_ids: Sequence[str] | None = None) -> dict[tuple[str, str], Decimal]:
        """(store_id, sku) -> quantity at the store's storage location (returns included).

        Tryton's ``quantity``: done moves up to today, so a move left in draft does not count
        (Tryton refuses moves dated after today anyway).
        """
        out: dict[tuple[str, str], Decimal] = {}
        for store_id in store_ids if store_ids is not None else self.store_ids():
            point = self._point(store_id, "stock")
            context = {"locations": [point.storage], "with_childs": True}
            for row in _paged(
                self.rpc,
                "product.product",
                [("code", "!=", None)],
                ["code", "quantity"],
                context=context,
            ):
                out[(store_id, row["code"])] = Decimal(str(row["quantity"]))
        return out

    def posted_sales(self) -> list[dict[str, Any]]:
        """Every sale.point.sale with its lines; datetimes are aware UTC.

        Per sale: id, number, pos_reference, store_id, state, date, total, total_tax,
        create_date, write_date, lines [{sku, quantity, unit_gross_price, unit_list_price}].
        """
        sales = list(
            _paged(
                self.rpc,
                "sale.point.sale",
                [],
                [
                    "number",
                    "pos_reference",
                    "point.name",
                    "state",
                    "date",
                    "total",
                    "total_tax",
                    "create_date",
                    "write_date",
                ],
            )
        )
        lines: dict[int, list[dict[str, Any]]] = {}
        for line in _paged(
            self.rpc,
            "sale.point.sale.line",
            [],
            ["sale", "product.code", "quantity", "unit_gross_price", "unit_list_price"],
        ):
            lines.setdefault(line["sale"], []).append(
                {
                    "sku": (line.get("product.") or {}).get("code"),
                    "quantity": Decimal(str(line["quantity"])),
                    "unit_gross_price": line["unit_gross_price"],
                    "unit_list_price": line["unit_list_price"],
                }
            )
        return [
            {
                "id": s["id"],
                "number": s["number"],
                "pos_reference": s["pos_reference"],
                "store_id": (s.get("point.") or {}).get("name"),
                "state": s["state"],
                "date": s["date"],
                "total": s["total"],
                "total_tax": s["total_tax"],
                "create_date": _utc(s["create_date"]),
                "write_date": _utc(s["write_date"]),
                "lines": lines.get(s["id"], []),
            }
            for s in sales
        ]

    def posted_moves(self) -> list[dict[str, Any]]:
        """Every stock adjustment posted by `move_stock` (moves with a POS reference)."""
        storage = {p.storage: store_id for store_id, p in self._points.items()}
        out = []
        for m in _paged(
            self.rpc,
            "stock.move",
            [("pos_reference", "!=", None)],
            [
                "pos_reference",
                "product.code",
                "quantity",
                "from_location",
                "to_location",
                "state",
                "create_date",
                "write_date",
            ],
        ):
            inward = m["to_location"] in storage
            out.append(
                {
                    "id": m["id"],
                    "pos_reference": m["pos_reference"],
                    "store_id": storage.get(m["to_location"] if inward else m["from_location"]),
                    "sku": (m.get("product.") or {}).get("code"),
                    "quantity": Decimal(str(m["quantity"])) * (1 if inward else -1),
                    "state": m["state"],
                    "create_date": _utc(m["create_date"]),
                    "write_date": _utc(m["write_date"]),
                }
            )
        return out


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=dt.UTC) if value is not None else None


def _posted(row: dict[str, Any]) -> Posted:
    return Posted(row["pos_reference"], row["id"], row["number"], row["state"])


def _by_reference(
    rpc: TrytonRpc, model: str, references: Sequence[str], fields: list[str]
) -> Iterator[dict[str, Any]]:
    """The rows of `model` whose pos_reference is one of `references`, with `fields`."""
    items = list(references)
    for start in range(0, len(items), _CHUNK):
        chunk = items[start : start + _CHUNK]
        yield from rpc.model(
            model,
            "search_read",
            [("pos_reference", "in", chunk)],
            0,
            None,
            None,
            ["pos_reference", *fields],
        )


def _paged(
    rpc: TrytonRpc,
    model: str,
    domain: list[Any],
    fields: list[str],
    *,
    context: dict[str, Any] | None = None,
    page: int = 1000,
) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        rows = rpc.model(
            model, "search_read", domain, offset, page, [("id", "ASC")], fields, context=context
        )
        yield from rows
        if len(rows) < page:
            return
        offset += page
