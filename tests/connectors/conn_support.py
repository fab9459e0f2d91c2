"""Process and fixture plumbing for the connector tests: real HTTP on loopback.

`Bench` starts the mock POS and mock ERP under uvicorn in subprocesses (SQLite files in a
temporary directory), seeds both with the simulator's catalogue, stores and opening stock,
creates the one webhook subscription, starts a connector per the contract (a command and
the ``TILLBENCH_*`` environment), pushes simulator transactions through the POS driver
endpoint and reads the results back through the public APIs.

Example::

    with Bench(tmp_path) as bench:
        bench.seed(world)
        bench.start_connector(["-m", "connectors.realtime"])
        bench.push(transactions)
        bench.wait_until_posted(expected)
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

import scenarios
import simulator
from domain import (
    CardTender,
    CashTender,
    MobileTender,
    PostVoid,
    Return,
    Sale,
    credit_memo_from_return,
    invoice_from_sale,
)
from simulator.engine import RunState

REPO = Path(__file__).resolve().parents[2]
POS_TOKEN = "pos-connector-token"
POS_ADMIN = "pos-admin-token"
ERP_TOKEN = "erp-connector-token"
ERP_ADMIN = "erp-admin-token"
COMPANY = "5d115c9c-44e3-ea11-bb43-000d3a2feca1"
EVENT_TYPES = [
    "order.created",
    "order.updated",
    "payment.updated",
    "refund.updated",
    "inventory.count.updated",
]
LAUNCH = (
    "import json, sys; from mocks.core import serve; "
    "serve(sys.argv[1], port=int(sys.argv[2]), settings=json.loads(sys.argv[3]))"
)


def free_port() -> int:
    """A loopback TCP port that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A child process in its own session; stopped with SIGTERM, or killed."""

    def __init__(self, args: Sequence[str], *, env: Mapping[str, str], log: Path) -> None:
        self.log_path = log
        self._log = log.open("ab")
        self.popen = subprocess.Popen(
            [sys.executable, *args],
            env=dict(env),
            cwd=REPO,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_healthy(self, url: str, *, headers: Mapping[str, str] | None = None) -> None:
        """Poll ``url`` until it answers 200 (30 s at most)."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                break
            try:
                if httpx.get(url, headers=dict(headers or {}), timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        output = self.tail()
        self.stop()
        raise RuntimeError(f"{url} never became healthy:\n{output}")

    def tail(self, size: int = 4000) -> str:
        """The end of the process's output."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")[-size:]

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM, then SIGKILL after ``timeout``; returns the exit status."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait()
        self._log.close()
        return self.popen.returncode

    def kill(self) -> None:
        """SIGKILL at once (the kill -9 test)."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        self._log.close()


# simulator traffic -------------------------------------------------------------------------


def small_scenario(
    *, stores: int = 2, duration: str = "20m", multiplier: float = 4.0, card_notes: float = 0.0
) -> Any:
    """The bundled demo scenario, shrunk: no faults (tests inject their own)."""
    return scenarios.load("demo").with_overrides(
        **{
            "chain.stores": stores,
            "duration": duration,
            "faults": [],
            "traffic.multiplier": multiplier,
            "data_quality.card_in_notes": card_notes,
        }
    )


def _minor(money: Any) -> int:
    return int(money.minor_units())


def _tender(tender: Any) -> dict[str, Any]:
    if isinstance(tender, CardTender):
        return {
            "kind": "card",
            "amount": _minor(tender.amount),
            "brand": str(tender.brand.value),
            "last4": tender.last4,
        }
    if isinstance(tender, CashTender):
        return {
            "kind": "cash",
            "amount": _minor(tender.amount),
            "tendered": _minor(tender.tendered),
            "change": _minor(tender.change),
        }
    if isinstance(tender, MobileTender):
        return {"kind": "mobile", "amount": _minor(tender.amount), "wallet": tender.wallet[:30]}
    return {"kind": "other", "amount": _minor(tender.amount), "other_kind": "OTHER"}


def _moment(value: datetime) -> str:
    return value.replace(tzinfo=UTC).isoformat()


def to_driver(event: Any) -> dict[str, Any] | None:
    """The driver's JSON for one simulator event (None for what the driver cannot take)."""
    doc = event.document
    base: dict[str, Any] = {
        "kind": event.kind,
        "txn_id": event.txn_id,
        "store_id": event.store_id,
        "register_id": doc.register_id,
        "cashier_id": doc.cashier_id,
    }
    if isinstance(doc, Sale):
        taxes = iter(line.tax for line in invoice_from_sale(doc).lines)
        lines = []
        for line in doc.lines:
            tax = 0 if line.voided else _minor(next(taxes))
            lines.append(
                {
                    "line_no": line.line_no,
                    "sku": str(line.sku),
                    "quantity": str(line.quantity),
                    "unit_price": _minor(line.unit_price),
                    "discount": _minor(line.discount_total),
                    "net": _minor(line.net),
                    "tax": tax,
                    "tax_rate": str(line.tax_class.rate),
                    "voided": line.voided,
                }
            )
        return {
            **base,
            "customer_id": doc.customer_id,
            "completed_at": _moment(doc.completed_at),
            "currency": doc.currency,
            "lines": lines,
            "tenders": [_tender(t) for t in doc.tenders],
            "note": doc.notes,
        }
    if isinstance(doc, Return):
        memo = credit_memo_from_return(doc)
        return {
            **base,
            "customer_id": doc.customer_id,
            "completed_at": _moment(doc.completed_at),
            "currency": doc.currency,
            "receipted": doc.receipted,
            "lines": [
                {
                    "line_no": line.line_no,
                    "sku": str(line.sku),
                    "quantity": str(line.quantity),
                    "unit_price": _minor(line.unit_price),
                    "net": _minor(line.net),
                    "tax": _minor(mline.tax),
                    "tax_rate": str(line.tax_class.rate),
                    "original_txn_id": line.original_txn_id,
                    "original_line_no": line.original_line_no,
                }
                for line, mline in zip(doc.lines, memo.lines, strict=True)
            ],
            "tenders": [_tender(t) for t in doc.tenders],
            "note": doc.notes,
        }
    if isinstance(doc, PostVoid):
        return {
            **base,
            "completed_at": _moment(doc.voided_at),
            "voided_txn_id": doc.voided_txn_id,
        }
    return {**base, "completed_at": _moment(doc.cancelled_at), "lines": []}


@dataclass(slots=True)
class Traffic:
    """Driver transactions and what the ERP must end up with."""

    transactions: list[dict[str, Any]]
    invoices: set[str] = field(default_factory=set)
    credit_memos: set[str] = field(default_factory=set)
    card_notes: int = 0

    @property
    def returns(self) -> set[str]:
        """External document numbers of returns (not post-voids)."""
        return {t["txn_id"] for t in self.transactions if t["kind"] == "return"}


def traffic(scenario: Any, *, limit: int | None = None) -> Traffic:
    """The scenario's POS events as driver transactions (post-voids of sales not in the
    stream are left out: the POS cannot void what it never saw)."""
    result = Traffic([])
    pushed: set[str] = set()
    for event in simulator.iter_events(scenario):
        if limit is not None and len(result.transactions) >= limit:
            break
        if event.kind == "cancel":
            for_cancel = to_driver(event)
            if for_cancel and for_cancel["lines"]:
                result.transactions.append(for_cancel)
            continue
        doc = event.document
        if isinstance(doc, PostVoid) and doc.voided_txn_id not in pushed:
            continue
        txn = to_driver(event)
        if txn is None:
            continue
        result.transactions.append(txn)
        pushed.add(event.txn_id)
        if event.kind == "sale":
            result.invoices.add(event.txn_id)
        else:
            result.credit_memos.add(event.txn_id)
        if txn.get("note") and any(c.isdigit() for c in txn["note"]):
            result.card_notes += 1
    return result


# a proxy that loses responses -------------------------------------------------------------


class LostResponseProxy:
    """HTTP proxy in front of the ERP that, for a share of document POSTs, lets the ERP
    commit and then holds the answer back longer than the client waits: the "timed out after
    the ERP committed" case (mocks.erp faults all strike before the request is applied)."""

    def __init__(self, target: str, *, rate: float, hold: float, seed: int = 7) -> None:
        import random
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        rng = random.Random(seed)
        lock = threading.Lock()
        client = httpx.Client(base_url=target, timeout=60)
        self.held = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {
                    k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")
                }
                answer = client.request(self.command, self.path, content=body, headers=headers)
                documents = ("/salesInvoices", "/salesCreditMemos")
                if self.command == "POST" and self.path.endswith(documents):
                    with lock:
                        hold = rng.random() < rate
                        proxy.held += hold
                    if hold:
                        time.sleep(hold_for)
                with contextlib.suppress(OSError):
                    self.send_response(answer.status_code)
                    for key, value in answer.headers.items():
                        if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                            self.send_header(key, value)
                    self.send_header("Content-Length", str(len(answer.content)))
                    self.end_headers()
                    self.wfile.write(answer.content)

            do_GET = do_POST = do_PATCH = do_DELETE = _forward

            def log_message(self, *args: Any) -> None:
                del args

        hold_for = hold
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._client = client

    def __enter__(self) -> LostResponseProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._client.close()


# the bench ---------------------------------------------------------------------------------


class Bench:
    """Mock POS + mock ERP on loopback, seeded, with one webhook subscription."""

    def __init__(
        self,
        tmp_path: Path,
        *,
        erp_settings: Mapping[str, Any] | None = None,
        pos_settings: Mapping[str, Any] | None = None,
        mock_erp: bool = True,
    ) -> None:
        self.dir = tmp_path
        self.mock_erp = mock_erp
        self.erp_env: dict[str, str] = {}
        self.processes: list[Process] = []
        self.connector: Process | None = None
        self.pos_port = free_port()
        self.erp_port = free_port()
        self.pos_url = f"http://127.0.0.1:{self.pos_port}"
        self.erp_base = f"http://127.0.0.1:{self.erp_port}"
        self.erp_url = f"{self.erp_base}/api/v2.0"
        self.connector_port = free_port()
        self.webhook_url = f"http://127.0.0.1:{self.connector_port}/webhooks/square"
        self.state_dir = tmp_path / "connector-state"
        self.log_dir = tmp_path / "connector-logs"
        self.secret = ""
        self._pos_settings = {
            "db_url": f"sqlite:///{tmp_path / 'pos.sqlite3'}",
            "api_tokens": {POS_TOKEN: "connector"},
            "admin_token": POS_ADMIN,
            "payment_settle_seconds": 0,
            "refund_settle_seconds": 0,
            "webhooks": {"retry_base_seconds": 0.2, "retry_cap_seconds": 2.0},
            **dict(pos_settings or {}),
        }
        self._erp_settings = {
            "db_url": f"sqlite:///{tmp_path / 'erp.sqlite3'}",
            "api_tokens": {ERP_TOKEN: "connector"},
            "admin_token": ERP_ADMIN,
            **dict(erp_settings or {}),
        }
        self.pos = httpx.Client(
            base_url=self.pos_url, headers={"Authorization": f"Bearer {POS_TOKEN}"}, timeout=60
        )
        self.pos_admin = httpx.Client(
            base_url=self.pos_url, headers={"Authorization": f"Bearer {POS_ADMIN}"}, timeout=60
        )
        self.erp = httpx.Client(
            base_url=f"{self.erp_url}/companies({COMPANY})",
            headers={"Authorization": f"Bearer {ERP_TOKEN}"},
            timeout=60,
        )
        self.erp_admin = httpx.Client(
            base_url=self.erp_base, headers={"Authorization": f"Bearer {ERP_ADMIN}"}, timeout=60
        )

    def __enter__(self) -> Bench:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        mocks = (
            ("pos", "mocks.pos.square:create_app", self.pos_port, self._pos_settings, POS_ADMIN),
            ("erp", "mocks.erp.bc:create_app", self.erp_port, self._erp_settings, ERP_ADMIN),
        )[: 2 if self.mock_erp else 1]
        for name, factory, port, settings, _admin in mocks:
            self.processes.append(
                Process(
                    ["-c", LAUNCH, factory, str(port), json.dumps(settings)],
                    env=env,
                    log=self.dir / f"{name}.log",
                )
            )
        try:
            for process, (_name, _factory, port, _settings, admin) in zip(
                self.processes, mocks, strict=True
            ):
                process.wait_healthy(
                    f"http://127.0.0.1:{port}/admin/health",
                    headers={"Authorization": f"Bearer {admin}"},
                )
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.connector is not None:
            self.connector.stop()
        for process in self.processes:
            process.stop()
        for client in (self.pos, self.pos_admin, self.erp, self.erp_admin):
            client.close()

    # seeding ---------------------------------------------------------------------------

    def seed(self, scenario: Any, *, at: datetime | None = None) -> dict[tuple[str, str], int]:
        """Same catalogue, stores and opening stock in POS and ERP; returns the stock."""
        world = simulator.build_world(scenario)
        catalog = world.catalog
        state = RunState.create(world)
        initial = state.stock.initial.reshape(world.stores, len(catalog.sku_ids))
        stock = {
            (store, sku): int(initial[s, k]) + 50
            for s, store in enumerate(world.store_ids)
            for k, sku in enumerate(catalog.sku_ids)
        }
        self.seed_pos(scenario, stock, at=at)
        items = [
            {
                "number": sku,
                "displayName": catalog.names[k][:100],
                "unitPrice": str(Decimal(int(catalog.price_minor[k])).scaleb(-2)),
            }
            for k, sku in enumerate(catalog.sku_ids)
        ]
        locations = [
            {"code": s, "displayName": n}
            for s, n in zip(world.store_ids, world.store_names, strict=True)
        ]
        levels = [
            {"itemNumber": sku, "locationCode": store, "quantity": q}
            for (store, sku), q in stock.items()
        ]
        answer = self.erp_admin.post(
            "/admin/erp/catalog", json={"items": items, "locations": locations, "stock": levels}
        )
        assert answer.status_code == 200, answer.text
        return stock

    def seed_pos(
        self,
        scenario: Any,
        stock: Mapping[tuple[str, str], int],
        *,
        at: datetime | None = None,
    ) -> None:
        """The scenario's catalogue with ``stock`` per (store, SKU) in the POS, and the
        webhook subscription (the ERP is seeded by the caller)."""
        world = simulator.build_world(scenario)
        catalog = world.catalog
        moment = (at or datetime(2026, 11, 23, 6, 0)).replace(tzinfo=UTC).isoformat()
        index = {sku: k for k, sku in enumerate(catalog.sku_ids)}
        counts = [
            {
                "store_id": store,
                "sku": sku,
                "quantity": str(quantity),
                "occurred_at": moment,
                "name": catalog.names[index[sku]][:100],
                "unit_price": int(catalog.price_minor[index[sku]]),
            }
            for (store, sku), quantity in sorted(stock.items())
        ]
        answer = self.pos_admin.post("/driver/v1/inventory", json={"counts": counts})
        assert answer.status_code == 200, answer.text
        self.subscribe()

    def subscribe(self) -> None:
        """Create the one webhook subscription pointing at the connector."""
        answer = self.pos.post(
            "/v2/webhooks/subscriptions",
            json={
                "idempotency_key": str(uuid.uuid4()),
                "subscription": {
                    "name": "tillbench connector",
                    "event_types": EVENT_TYPES,
                    "notification_url": self.webhook_url,
                },
            },
        )
        assert answer.status_code == 200, answer.text
        self.secret = answer.json()["subscription"]["signature_key"]

    # the connector ---------------------------------------------------------------------

    def contract_env(
        self, settings: Mapping[str, Any] | None = None, *, erp_url: str | None = None
    ) -> dict[str, str]:
        """The environment the contract hands to a connector (``erp_url``: e.g. a proxy;
        `erp_env` replaces the ERP variables, e.g. for Tryton)."""
        return {
            **os.environ,
            "PYTHONPATH": str(REPO),
            "TILLBENCH_RUN_ID": self.dir.name,
            "TILLBENCH_POS_URL": self.pos_url,
            "TILLBENCH_POS_TOKEN": POS_TOKEN,
            "TILLBENCH_ERP_URL": erp_url or self.erp_url,
            "TILLBENCH_ERP_COMPANY": COMPANY,
            "TILLBENCH_ERP_TOKEN": ERP_TOKEN,
            "TILLBENCH_WEBHOOK_SECRET": self.secret,
            "TILLBENCH_WEBHOOK_URL": self.webhook_url,
            "TILLBENCH_LISTEN": f"127.0.0.1:{self.connector_port}",
            "TILLBENCH_STATE_DIR": str(self.state_dir),
            "TILLBENCH_LOG_DIR": str(self.log_dir),
            "TILLBENCH_SETTINGS": json.dumps(dict(settings or {})),
            **self.erp_env,
        }

    def start_connector(
        self,
        args: Sequence[str],
        settings: Mapping[str, Any] | None = None,
        *,
        erp_url: str | None = None,
    ) -> Process:
        """Start a connector (``args`` after ``python``) and wait for ``/health``."""
        env = self.contract_env(settings, erp_url=erp_url)
        process = Process(args, env=env, log=self.dir / "connector.out")
        self.connector = process
        process.wait_healthy(f"http://127.0.0.1:{self.connector_port}/health")
        return process

    def metrics(self) -> dict[str, Any]:
        """The connector's ``/metrics``."""
        answer = httpx.get(f"http://127.0.0.1:{self.connector_port}/metrics", timeout=10)
        return dict(answer.json())

    # traffic ---------------------------------------------------------------------------

    def push(
        self, transactions: Sequence[dict[str, Any]], *, chunk: int = 50, pause: float = 0.0
    ) -> None:
        """Send transactions through the POS driver endpoint, ``chunk`` at a time."""
        for start in range(0, len(transactions), chunk):
            answer = self.pos_admin.post(
                "/driver/v1/transactions",
                json={"transactions": list(transactions[start : start + chunk])},
            )
            assert answer.status_code == 200, answer.text
            if pause:
                time.sleep(pause)

    def fault(self, target: str, entry: Mapping[str, Any]) -> None:
        """Start a fault now on the POS or the ERP (``for`` in wall seconds)."""
        client = self.pos_admin if target == "pos" else self.erp_admin
        answer = client.post("/admin/faults", json=dict(entry))
        assert answer.status_code == 201, answer.text

    # reading results -------------------------------------------------------------------

    def documents(self, kind: str) -> list[dict[str, Any]]:
        """Every ERP document of ``kind`` (salesInvoices / salesCreditMemos) with lines."""
        lines = "salesInvoiceLines" if kind == "salesInvoices" else "salesCreditMemoLines"
        found: list[dict[str, Any]] = []
        url: str | None = f"/{kind}"
        params: dict[str, str] | None = {"$expand": lines}
        while url:
            body = self.erp.get(url, params=params).json()
            found.extend(body.get("value") or [])
            url = body.get("@odata.nextLink")
            params = None
        return found

    def posted_numbers(self) -> tuple[Counter[str], Counter[str]]:
        """External document numbers of invoices and of credit memos, with multiplicity."""
        invoices = Counter(d["externalDocumentNumber"] for d in self.documents("salesInvoices"))
        memos = Counter(d["externalDocumentNumber"] for d in self.documents("salesCreditMemos"))
        return invoices, memos

    def wait_until_posted(self, expected: Traffic, *, timeout: float = 60) -> None:
        """Wait until every expected document is in the ERP (or ``timeout`` passes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            invoices, memos = self.posted_numbers()
            if expected.invoices <= set(invoices) and expected.credit_memos <= set(memos):
                return
            time.sleep(0.5)

    def wait_until_quiet(self, *, timeout: float = 30) -> None:
        """Wait until the connector reports an empty backlog twice in a row."""
        deadline = time.monotonic() + timeout
        calm = 0
        while time.monotonic() < deadline and calm < 2:
            calm = calm + 1 if self.metrics().get("backlog") == 0 else 0
            time.sleep(0.5)

    def pos_orders(self) -> dict[str, dict[str, Any]]:
        """COMPLETED POS orders by reference id."""
        locations = [x["id"] for x in self.pos.get("/v2/locations").json()["locations"]]
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(locations), 10):
            body: dict[str, Any] = {
                "location_ids": locations[start : start + 10],
                "query": {"filter": {"state_filter": {"states": ["COMPLETED"]}}},
                "limit": 500,
            }
            while True:
                page = self.pos.post("/v2/orders/search", json=body).json()
                for order in page.get("orders") or []:
                    found[order["reference_id"]] = order
                if not page.get("cursor"):
                    break
                body = {**body, "cursor": page["cursor"]}
        return found

    def pos_stock(self) -> dict[tuple[str, str], Decimal]:
        """POS IN_STOCK count per (store, SKU)."""
        skus = {}
        params: dict[str, str] = {"types": "ITEM_VARIATION"}
        while True:
            page = self.pos.get("/v2/catalog/list", params=params).json()
            for obj in page.get("objects") or []:
                skus[obj["id"]] = obj["item_variation_data"]["sku"]
            if not page.get("cursor"):
                break
            params = {"types": "ITEM_VARIATION", "cursor": page["cursor"]}
        found: dict[tuple[str, str], Decimal] = {}
        body: dict[str, Any] = {"states": ["IN_STOCK"], "limit": 1000}
        while True:
            page = self.pos.post("/v2/inventory/counts/batch-retrieve", json=body).json()
            for count in page.get("counts") or []:
                key = (count["location_id"], skus[count["catalog_object_id"]])
                found[key] = Decimal(count["quantity"])
            if not page.get("cursor"):
                break
            body = {**body, "cursor": page["cursor"]}
        return found

    def erp_stock(self) -> dict[tuple[str, str], Decimal]:
        """ERP inventory per (location, item number), through the read-back API."""
        found: dict[tuple[str, str], Decimal] = {}
        url: str | None = (
            f"{self.erp_base}/api/tillbench/inventory/v1.0/companies({COMPANY})/locationInventories"
        )
        while url:
            body = self.erp.get(url).json()
            for row in body.get("value") or []:
                found[(row["locationCode"], row["itemNumber"])] = Decimal(str(row["inventory"]))
            url = body.get("@odata.nextLink")
        return found


def drift(bench: Bench) -> dict[tuple[str, str], Decimal]:
    """ERP book − POS book per store × SKU, only where they differ."""
    pos = bench.pos_stock()
    erp = bench.erp_stock()
    keys = set(pos) | set(erp)
    diffs = {k: erp.get(k, Decimal(0)) - pos.get(k, Decimal(0)) for k in keys}
    return {k: v for k, v in diffs.items() if v != 0}


def mismatched_amounts(bench: Bench) -> list[str]:
    """External numbers whose ERP total incl. tax differs from the POS order's total."""
    orders = bench.pos_orders()
    wrong = []
    for kind in ("salesInvoices", "salesCreditMemos"):
        for doc in bench.documents(kind):
            order = orders.get(doc["externalDocumentNumber"])
            if order is None:
                wrong.append(doc["externalDocumentNumber"])
                continue
            money = order.get("return_amounts") or order
            expected = Decimal(int(money["total_money"]["amount"])).scaleb(-2)
            if Decimal(str(doc["totalAmountIncludingTax"])).quantize(Decimal("0.01")) != expected:
                wrong.append(doc["externalDocumentNumber"])
    return wrong


def iter_free_text(documents: Iterable[dict[str, Any]]) -> Iterator[str]:
    """Every free-text value of ERP documents and their lines (ids and ETags left out)."""

    def texts(record: dict[str, Any]) -> Iterator[str]:
        for key, value in record.items():
            if isinstance(value, str) and not key.lower().endswith(("id", "etag")):
                yield value

    for doc in documents:
        yield from texts(doc)
        for value in doc.values():
            if isinstance(value, list):
                for line in value:
                    yield from texts(line)


@dataclass(slots=True)
class Verdict:
    """What a run left in the ERP, compared with what the POS saw."""

    missing: set[str]
    duplicated: set[str]
    mismatched: list[str]
    drift: dict[tuple[str, str], Decimal]
    leaks: list[str]

    @property
    def clean(self) -> bool:
        """Nothing missing, doubled, wrong, drifting or leaked."""
        return not (self.missing or self.duplicated or self.mismatched or self.drift or self.leaks)


def verdict(bench: Bench, expected: Traffic) -> Verdict:
    """Exactly-once, amounts, stock and card-number checks through the public APIs."""
    from connectors.common.cards import has_card_number

    invoices, memos = bench.posted_numbers()
    missing = (expected.invoices - set(invoices)) | (expected.credit_memos - set(memos))
    duplicated = {k for k, n in (invoices + memos).items() if n > 1}
    documents = bench.documents("salesInvoices") + bench.documents("salesCreditMemos")
    leaks = [text for text in iter_free_text(documents) if has_card_number(text)]
    for path in bench.log_dir.glob("*.log"):
        leaks += [line for line in path.read_text().splitlines() if has_card_number(line)]
    return Verdict(missing, duplicated, mismatched_amounts(bench), drift(bench), leaks)


def settle(bench: Bench, expected: Traffic, *, timeout: float = 60) -> Verdict:
    """Wait for the documents and an idle connector, then judge."""
    bench.wait_until_posted(expected, timeout=timeout)
    bench.wait_until_quiet(timeout=timeout)
    return verdict(bench, expected)
