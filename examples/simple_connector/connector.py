"""A small POS → ERP connector (Square → Business Central) that follows tillbench's
connector contract, written to be read in one sitting.

- Webhooks: the signature is checked, each event is written to a SQLite file (its
  ``event_id`` is the key, so a duplicate delivery is ignored) and only then answered 200.
- One outbox row per POS order; a few worker threads take rows one at a time.
- Delivering a row: fetch the order from the POS, create the ERP document (a draft) and
  post it. Every attempt is counted in the SQLite file before anything is sent, so a
  retry — after an error, a timeout or a crash — knows it may not be the first and
  **looks before it writes**: it finds the document by ``externalDocumentNumber``, posts it
  if it is a draft, creates and posts it if there is none, does nothing if it is posted.
  That is what keeps a sale from being posted twice.
- An ERP that refuses for now (429, 5xx, no answer) gets the row back later, after an
  exponential backoff (``Retry-After`` honoured); a request the ERP refuses for good (400)
  goes to the dead letters with the reason.

Out of scope, on purpose: polling for orders whose webhook never came, ERP → POS
(prices, items, customers) and stock changes that are not sales.

Run it the way tillbench does: ``python connector.py`` with the ``TILLBENCH_*``
environment of connectors/CONTRACT.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import random
import signal
import sqlite3
import threading
import time
from decimal import ROUND_HALF_UP, Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

WORKERS = 4
EXPONENT = {"JPY": 0, "KRW": 0}
"""Decimal places of a currency's minor unit, where it is not 2."""


class RetryLater(Exception):
    """The ERP or the POS cannot take the request now; try again after ``after`` seconds."""

    def __init__(self, why: str, after: float | None = None) -> None:
        super().__init__(why)
        self.after = after


class Refused(Exception):
    """The ERP refused the document for good (a 4xx other than 408/409/429)."""


# --- durable state ------------------------------------------------------------------------


def open_state(folder: Path) -> sqlite3.Connection:
    db = sqlite3.connect(folder / "example.sqlite3", check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE IF NOT EXISTS events (event_id TEXT PRIMARY KEY)")
    db.execute(
        "CREATE TABLE IF NOT EXISTS outbox (order_id TEXT PRIMARY KEY, state TEXT NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0, due REAL NOT NULL DEFAULT 0,"
        " version INTEGER NOT NULL DEFAULT 0, reason TEXT)"
    )
    return db


class State:
    """The inbox of events and the outbox of orders, in one SQLite file."""

    def __init__(self, folder: Path) -> None:
        self.db = open_state(folder)
        self.lock = threading.Lock()
        self.taken: set[str] = set()

    def receive(self, event_id: str, order_id: str | None) -> None:
        """Record an event once; queue its order (again, if it changed since)."""
        with self.lock:
            self.db.execute("BEGIN IMMEDIATE")
            new = self.db.execute("INSERT OR IGNORE INTO events VALUES (?)", (event_id,)).rowcount
            if new and order_id:
                self.db.execute(
                    "INSERT INTO outbox (order_id, state) VALUES (?, 'pending') "
                    "ON CONFLICT (order_id) DO UPDATE SET state = 'pending', due = 0, "
                    "version = version + 1 "
                    "WHERE state != 'dead'",
                    (order_id,),
                )
            self.db.execute("COMMIT")

    def take(self) -> tuple[str, int, int] | None:
        """The next due row no other worker holds: (order id, attempts including this one,
        version). The attempt is counted durably *before* anything is sent, so after a
        crash the row comes back as a second attempt, which looks before it writes."""
        with self.lock:
            rows = self.db.execute(
                "SELECT order_id, attempts, version FROM outbox "
                "WHERE state = 'pending' AND due <= ? ORDER BY due LIMIT 50",
                (time.time(),),
            ).fetchall()
            for order_id, attempts, version in rows:
                if order_id not in self.taken:
                    self.taken.add(order_id)
                    self.db.execute(
                        "UPDATE outbox SET attempts = attempts + 1 WHERE order_id = ?",
                        (order_id,),
                    )
                    return str(order_id), int(attempts) + 1, int(version)
        return None

    def done(self, order_id: str, version: int) -> None:
        """Delivered, unless a newer event for the order came meanwhile (then it goes again)."""
        with self.lock:
            self.db.execute(
                "UPDATE outbox SET state = 'done' WHERE order_id = ? AND version = ?",
                (order_id, version),
            )
            self.taken.discard(order_id)

    def dead(self, order_id: str, reason: str) -> None:
        with self.lock:
            self.db.execute(
                "UPDATE outbox SET state = 'dead', reason = ? WHERE order_id = ?",
                (reason[:500], order_id),
            )
            self.taken.discard(order_id)

    def later(self, order_id: str, delay: float) -> None:
        with self.lock:
            self.db.execute(
                "UPDATE outbox SET due = ? WHERE order_id = ?",
                (time.time() + delay, order_id),
            )
            self.taken.discard(order_id)

    def counts(self) -> dict[str, int]:
        with self.lock:
            rows = self.db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state")
            return {str(state): int(n) for state, n in rows}


# --- mapping: a Square order -> a Business Central document -----------------------------


def effective_percent(net: int, tax: int, exponent: int) -> Decimal:
    """The tax percentage (five decimals) whose half-up rounding of net × % gives the POS's
    line tax back: the POS rounds tax per document, the ERP per line."""
    if net <= 0 or tax <= 0:
        return Decimal(0)
    quantum = Decimal(1).scaleb(-exponent)
    net_major, want = Decimal(net).scaleb(-exponent), Decimal(tax).scaleb(-exponent)
    guess = (Decimal(tax) * 100 / Decimal(net)).quantize(Decimal("0.00001"), ROUND_HALF_UP)
    for step in (0, 1, -1, 2, -2, 3, -3):
        pct = guess + step * Decimal("0.00001")
        if (net_major * pct / 100).quantize(quantum, ROUND_HALF_UP) == want:
            return pct
    raise Refused(f"line tax {tax} is no percentage of net {net}")


def money(value: dict[str, Any] | None) -> int:
    return int((value or {}).get("amount") or 0)


def document(order: dict[str, Any], sku_of: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    """The ERP entity set and body of a COMPLETED order (a return: a credit memo)."""
    if order.get("state") != "COMPLETED" or not order.get("reference_id"):
        return None
    returns = order.get("returns") or []
    lines = (
        [x for r in returns for x in r.get("return_line_items") or []]
        if returns
        else (order.get("line_items") or [])
    )
    if not lines:
        return None
    currency = str((order.get("total_money") or {}).get("currency") or "USD")
    exponent = EXPONENT.get(currency, 2)
    body_lines = []
    for line in lines:
        quantity = Decimal(str(line.get("quantity") or "0"))
        unit = money(line.get("base_price_money"))
        discount = money(line.get("total_discount_money"))
        gross = int((quantity * unit).quantize(Decimal(1), ROUND_HALF_UP))
        sku = (line.get("metadata") or {}).get("sku") or sku_of[str(line["catalog_object_id"])]
        body_lines.append(
            {
                "lineType": "Item",
                "lineObjectNumber": sku,
                "locationCode": order["location_id"],
                "quantity": float(quantity),
                "unitPrice": float(Decimal(unit).scaleb(-exponent)),
                "discountAmount": float(Decimal(discount).scaleb(-exponent)),
                "taxPercent": float(
                    effective_percent(
                        gross - discount, money(line.get("total_tax_money")), exponent
                    )
                ),
            }
        )
    day = str(order.get("closed_at") or order.get("created_at"))[:10]
    if returns:
        return "salesCreditMemos", {
            "externalDocumentNumber": order["reference_id"],
            "customerNumber": "RETAIL",
            "creditMemoDate": day,
            "postingDate": day,
            "salesCreditMemoLines": body_lines,
        }
    return "salesInvoices", {
        "externalDocumentNumber": order["reference_id"],
        "customerNumber": "RETAIL",
        "invoiceDate": day,
        "postingDate": day,
        "salesInvoiceLines": body_lines,
    }


# --- the two systems -----------------------------------------------------------------------


def check(response: httpx.Response) -> httpx.Response:
    """Sort an answer into success, try-again-later and refused-for-good."""
    status = response.status_code
    if status < 300:
        return response
    if status in (408, 409, 429) or status >= 500:
        after = response.headers.get("Retry-After")
        raise RetryLater(
            f"{response.request.method} {response.request.url.path}: {status}",
            float(after) if after and after.isdigit() else None,
        )
    raise Refused(
        f"{response.request.method} {response.request.url.path}: {status} {response.text[:300]}"
    )


class Systems:
    def __init__(self, env: dict[str, str]) -> None:
        self.pos = httpx.Client(
            base_url=env["TILLBENCH_POS_URL"],
            headers={"Authorization": f"Bearer {env['TILLBENCH_POS_TOKEN']}"},
            timeout=10,
        )
        self.erp = httpx.Client(
            base_url=f"{env['TILLBENCH_ERP_URL']}/companies({env['TILLBENCH_ERP_COMPANY']})",
            headers={"Authorization": f"Bearer {env['TILLBENCH_ERP_TOKEN']}"},
            timeout=10,
        )
        self.skus: dict[str, str] = {}

    def order(self, order_id: str) -> tuple[dict[str, Any], dict[str, str]]:
        order = check(self.pos.get(f"/v2/orders/{order_id}")).json()["order"]
        for ret in order.get("returns") or []:
            for line in ret.get("return_line_items") or []:
                object_id = str(line.get("catalog_object_id") or "")
                if object_id and object_id not in self.skus:
                    found = check(self.pos.get(f"/v2/catalog/object/{object_id}")).json()
                    self.skus[object_id] = found["object"]["item_variation_data"]["sku"]
        return order, self.skus

    def find(self, entity_set: str, reference: str) -> list[dict[str, Any]]:
        quoted = reference.replace("'", "''")
        answer = self.erp.get(
            f"/{entity_set}", params={"$filter": f"externalDocumentNumber eq '{quoted}'"}
        )
        return list(check(answer).json()["value"])

    def post_draft(self, entity_set: str, document_id: str) -> None:
        check(self.erp.post(f"/{entity_set}({document_id})/Microsoft.NAV.post"))

    def create(self, entity_set: str, body: dict[str, Any]) -> dict[str, Any]:
        return dict(check(self.erp.post(f"/{entity_set}", json=body)).json())


def deliver(systems: Systems, order_id: str, attempt: int) -> None:
    """Make the ERP hold the order's document exactly once, posted. A first attempt
    creates and posts; any later one (after an error, a timeout or a crash, when the ERP
    may hold the document already) looks it up first and finishes what is missing."""
    order, skus = systems.order(order_id)
    mapped = document(order, skus)
    if mapped is None:
        return
    entity_set, body = mapped
    found = systems.find(entity_set, body["externalDocumentNumber"]) if attempt > 1 else []
    if any(doc.get("status") != "Draft" for doc in found):
        return
    draft = found[0] if found else systems.create(entity_set, body)
    systems.post_draft(entity_set, draft["id"])


def backoff(attempts: int, retry: dict[str, Any], hint: float | None) -> float:
    """Exponential backoff with full jitter, at least the ERP's ``Retry-After``."""
    base, cap = float(retry.get("base", 0.05)), float(retry.get("cap", 2.0))
    delay = random.uniform(0, min(cap, base * 2**attempts))
    return max(delay, hint or 0.0)


def schedule_retry(state: State, order_id: str, attempts: int, delay: float) -> None:
    """Put the row back, due after ``delay`` seconds."""
    state.later(order_id, delay)


def work(state: State, systems: Systems, retry: dict[str, Any], stop: threading.Event) -> None:
    while not stop.is_set():
        row = state.take()
        if row is None:
            stop.wait(0.05)
            continue
        order_id, attempts, version = row
        try:
            deliver(systems, order_id, attempts)
        except RetryLater as exc:
            schedule_retry(state, order_id, attempts, backoff(attempts, retry, exc.after))
        except httpx.HTTPError:
            schedule_retry(state, order_id, attempts, backoff(attempts, retry, None))
        except Refused as exc:
            state.dead(order_id, str(exc))
        else:
            state.done(order_id, version)


# --- the HTTP side: webhooks, /health, /metrics ----------------------------------------------


def make_handler(state: State, secret: bytes, hook_url: str) -> type[BaseHTTPRequestHandler]:
    hook_path = "/" + hook_url.split("/", 3)[3] if hook_url.count("/") >= 3 else "/"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            return

        def reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/health":
                self.reply(200, {"status": "ok"})
            elif self.path == "/metrics":
                counts = state.counts()
                self.reply(
                    200,
                    {
                        "backlog": counts.get("pending", 0),
                        "posted": counts.get("done", 0),
                        "retries": 0,
                        "dead_letters": counts.get("dead", 0),
                    },
                )
            else:
                self.reply(404, {"error": "not found"})

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path != hook_path:
                self.reply(404, {"error": "not found"})
                return
            mac = hmac.new(secret, hook_url.encode() + body, hashlib.sha256).digest()
            given = self.headers.get("x-square-hmacsha256-signature") or ""
            if not hmac.compare_digest(base64.b64encode(mac).decode(), given):
                self.reply(401, {"error": "bad signature"})
                return
            try:
                event = json.loads(body)
            except ValueError:
                self.reply(400, {"error": "body is not JSON"})
                return
            data = event.get("data") or {}
            is_order = str(event.get("type", "")).startswith("order.")
            state.receive(str(event.get("event_id")), str(data.get("id")) if is_order else None)
            self.reply(200, {"received": True})

    return Handler


def main() -> None:
    env = dict(os.environ)
    settings = json.loads(env.get("TILLBENCH_SETTINGS") or "{}")
    state = State(Path(env["TILLBENCH_STATE_DIR"]))
    systems = Systems(env)
    stop = threading.Event()
    workers = [
        threading.Thread(target=work, args=(state, systems, settings.get("retry") or {}, stop))
        for _ in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    host, port = env["TILLBENCH_LISTEN"].rsplit(":", 1)
    handler = make_handler(
        state, env["TILLBENCH_WEBHOOK_SECRET"].encode(), env["TILLBENCH_WEBHOOK_URL"]
    )
    server = ThreadingHTTPServer((host, int(port)), handler)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()
    stop.set()
    for worker in workers:
        worker.join(timeout=8)


if __name__ == "__main__":
    main()
