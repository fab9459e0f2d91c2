"""Connector tests over real HTTP, set up the way a live run sets itself up.

`Bench` uses the harness's own public functions: the simulator writes the scenario's ground
truth (`simulator.simulate_traffic`), `tillbench.live.mocks.launch_mocks` starts the mock
POS (and ERP) under uvicorn, `tillbench.live.seed.seed_mocks` loads the same catalogue,
stores, customers and opening stock into both, `tillbench.live.connector_env` subscribes
the connector to the POS's webhooks and writes its contract environment, and
`tillbench.live.connector.RunningConnector` starts it and waits for ``/health``. Tests then
push the scenario's transactions through the POS driver endpoint and read the results back
through the mocks' public APIs.

Example::

    scenario = small_scenario()
    expected = traffic(scenario)
    with Bench(tmp_path, scenario) as bench:
        bench.start_connector(["-m", "connectors.realtime"], SETTINGS)
        bench.push(expected.transactions)
        result = settle(bench, expected)
"""

from __future__ import annotations

import contextlib
import shlex
import sqlite3
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

import scenarios
import simulator
from connectors.core.cards import has_card_number
from domain import PostVoid
from tillbench.live.connector import ConnectorSpec, RunningConnector
from tillbench.live.connector_env import ConnectorEnv, prepare_connector_env
from tillbench.live.mocks import ADMIN_TOKEN, MockServers, launch_mocks
from tillbench.live.payloads import transaction_payload
from tillbench.live.processes import ManagedProcess, ProcessSet
from tillbench.live.seed import opening_stock, seed_mocks

SETTINGS = {"interval": 1, "retry": {"attempts": 6, "base": 0.05, "cap": 1}, "catalog_poll": 1}
"""``TILLBENCH_SETTINGS`` of most tests: fast polls and retries."""


def small_scenario(
    *,
    stores: int = 2,
    duration: str = "20m",
    multiplier: float = 4.0,
    card_notes: float = 0.0,
    **overrides: Any,
) -> Any:
    """The bundled demo scenario, shrunk: no faults (tests inject their own), a quick mock
    ERP (tests are about correctness, not its timing) and a few loyalty customers."""
    return scenarios.load("demo").with_overrides(
        **{
            "chain.stores": stores,
            "chain.loyalty_customers": 5,
            "duration": duration,
            "faults": [],
            "traffic.multiplier": multiplier,
            "data_quality.card_in_notes": card_notes,
            "erp.latency.median": "2ms",
            "erp.latency.p99": "10ms",
            "erp.batch.fixed": "5ms",
            "erp.batch.per_operation": "1ms",
            **overrides,
        }
    )


# simulator traffic -------------------------------------------------------------------------


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
    """The scenario's POS transactions as the live driver sends them (post-voids of sales
    left out by ``limit`` are left out too: the POS cannot void what it never saw)."""
    result = Traffic([])
    pushed: set[str] = set()
    for event in simulator.iter_events(scenario):
        if limit is not None and len(result.transactions) >= limit:
            break
        doc = event.document
        if isinstance(doc, PostVoid) and doc.voided_txn_id not in pushed:
            continue
        txn = transaction_payload(event.kind, doc, zone=scenario.zone)
        result.transactions.append(txn)
        pushed.add(event.txn_id)
        if event.kind == "sale":
            result.invoices.add(event.txn_id)
        elif event.kind in ("return", "post_void"):
            result.credit_memos.add(event.txn_id)
        if txn.get("note") and any(c.isdigit() for c in txn["note"]):
            result.card_notes += 1
    return result


# a proxy that loses responses -------------------------------------------------------------


class LostResponseProxy:
    """HTTP proxy in front of the ERP that, for a share of document POSTs and ``$batch``
    calls, lets the ERP commit and then holds the answer back longer than the client waits:
    the "timed out after the ERP committed" case (mocks.erp faults all strike before the
    request is applied)."""

    def __init__(self, target: str, *, rate: float, hold: float, seed: int = 7) -> None:
        import random
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
                documents = ("/salesInvoices", "/salesCreditMemos", "/$batch")
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
    """The mocks of a live run for ``scenario`` (only the POS when ``mock_erp`` is False),
    seeded, and the connector under test."""

    def __init__(self, tmp_path: Path, scenario: Any, *, mock_erp: bool = True) -> None:
        self.dir = tmp_path
        self.run_dir = tmp_path / "run"
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.scenario = scenario
        self.mock_erp = mock_erp
        self.procs = ProcessSet()
        self.stock: dict[tuple[str, str], int] = {}
        self.connector: ManagedProcess | None = None
        self.prepared: ConnectorEnv | None = None
        self._servers: MockServers | None = None
        self._clients: list[httpx.Client] = []

    def __enter__(self) -> Bench:
        try:
            launch = launch_mocks(
                self.procs,
                scenario=self.scenario,
                run_dir=self.run_dir,
                speed=float(self.scenario.speed),
                erp=self.mock_erp,
            )
            simulator.simulate_traffic(self.scenario, self.run_dir)
            self._servers = launch.ready()
            seed_mocks(
                self._servers,
                scenario=self.scenario,
                world=simulator.build_world(self.scenario),
                run_dir=self.run_dir,
                exponent=2,
            )
        except BaseException:
            self.__exit__()
            raise
        self.stock = {(s, k): q for s, k, q in opening_stock(self.run_dir)}
        harness = {"Authorization": f"Bearer {self.servers.credentials.harness}"}
        admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
        self.pos = self._client(self.servers.pos_url, harness)
        self.pos_admin = self._client(self.servers.pos_url, admin)
        if self.mock_erp:
            self.erp = self._client(self.servers.erp_company_url, harness)
            self.erp_admin = self._client(self.servers.erp_base, admin)
        return self

    def __exit__(self, *exc: object) -> None:
        self.procs.stop_all()
        for client in self._clients:
            client.close()

    def _client(self, base_url: str, headers: Mapping[str, str]) -> httpx.Client:
        client = httpx.Client(base_url=base_url, headers=dict(headers), timeout=60)
        self._clients.append(client)
        return client

    @property
    def servers(self) -> MockServers:
        """Where the mocks answer and with which credentials."""
        assert self._servers is not None, "use the bench as a context manager"
        return self._servers

    @property
    def state_dir(self) -> Path:
        """The connector's ``TILLBENCH_STATE_DIR``."""
        return self.run_dir / "connector" / "state"

    @property
    def log_dir(self) -> Path:
        """The connector's ``TILLBENCH_LOG_DIR``."""
        return self.run_dir / "connector" / "logs"

    # the connector ---------------------------------------------------------------------

    def start_connector(
        self,
        args: Sequence[str],
        settings: Mapping[str, Any] | None = None,
        *,
        erp_env: Mapping[str, str] | None = None,
    ) -> ManagedProcess:
        """Start a connector (``args`` after ``python``) and wait for ``/health``. The first
        start subscribes it to the POS and writes its environment (``erp_env`` overrides the
        ERP variables, e.g. a proxy's URL or a real ERP's); later starts (after a kill)
        reuse that environment, like the harness restarting a connector."""
        if self.prepared is None:
            self.prepared = prepare_connector_env(
                ConnectorSpec(name="connector"),
                self.servers,
                run_dir=self.run_dir,
                settings=dict(settings or {}),
                extra=dict(erp_env or {}),
            )
        command = "exec " + shlex.join([sys.executable, *args])  # its exit status is python's
        running = RunningConnector(
            self.procs,
            ConnectorSpec(name=Path(args[-1]).stem, command=command),
            env=self.prepared.env,
            log_dir=self.log_dir,
            url=self.prepared.url,
            health_timeout_s=30,
        )
        running.start()
        assert running.proc is not None
        self.connector = running.proc
        return running.proc

    def metrics(self) -> dict[str, Any]:
        """The connector's ``/metrics``."""
        assert self.prepared is not None
        answer = httpx.get(f"{self.prepared.url}/metrics", timeout=10)
        return dict(answer.json())

    def dead_letters(self) -> list[tuple[str, str]]:
        """(outbox key, reason) of the connector's dead letters."""
        with contextlib.closing(sqlite3.connect(self.state_dir / "connector.sqlite3")) as conn:
            rows = conn.execute("SELECT key, reason FROM dead_letters ORDER BY id").fetchall()
        return [(str(key), str(reason)) for key, reason in rows]

    # traffic ---------------------------------------------------------------------------

    def push(self, transactions: Sequence[dict[str, Any]], *, chunk: int = 50) -> None:
        """Send transactions through the POS driver endpoint, ``chunk`` at a time."""
        for start in range(0, len(transactions), chunk):
            answer = self.pos_admin.post(
                "/driver/v1/transactions",
                json={"transactions": list(transactions[start : start + chunk])},
            )
            assert answer.status_code == 200, answer.text

    def fault(self, target: str, entry: Mapping[str, Any]) -> None:
        """Start a fault now on the POS or the ERP (``for`` in wall seconds)."""
        client = self.pos_admin if target == "pos" else self.erp_admin
        answer = client.post("/admin/faults", json=dict(entry))
        assert answer.status_code == 201, answer.text

    def variation_of(self, sku: str) -> str:
        """The POS catalogue object id of ``sku``."""
        body = self.pos.post(
            "/v2/catalog/search",
            json={
                "object_types": ["ITEM_VARIATION"],
                "query": {"exact_query": {"attribute_name": "sku", "attribute_value": sku}},
            },
        ).json()
        return str(body["objects"][0]["id"])

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
        """External document numbers of posted invoices and of posted credit memos, with
        multiplicity (drafts do not count: Business Central has not booked them)."""
        invoices = Counter(
            d["externalDocumentNumber"]
            for d in self.documents("salesInvoices")
            if d.get("status") != "Draft"
        )
        memos = Counter(
            d["externalDocumentNumber"]
            for d in self.documents("salesCreditMemos")
            if d.get("status") != "Draft"
        )
        return invoices, memos

    def drafts(self) -> set[str]:
        """External document numbers of documents still in draft (left behind: someone
        posting drafts in bulk would post them again)."""
        return {
            d["externalDocumentNumber"]
            for kind in ("salesInvoices", "salesCreditMemos")
            for d in self.documents(kind)
            if d.get("status") == "Draft"
        }

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
        url: str | None = self.servers.erp_inventory_url
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
    stray_drafts: set[str] = field(default_factory=set)

    @property
    def clean(self) -> bool:
        """Nothing missing, doubled, left as a draft, wrong, drifting or leaked."""
        return not (
            self.missing
            or self.duplicated
            or self.stray_drafts
            or self.mismatched
            or self.drift
            or self.leaks
        )


def verdict(bench: Bench, expected: Traffic) -> Verdict:
    """Exactly-once, amounts, stock and card-number checks through the public APIs."""
    invoices, memos = bench.posted_numbers()
    missing = (expected.invoices - set(invoices)) | (expected.credit_memos - set(memos))
    duplicated = {k for k, n in (invoices + memos).items() if n > 1}
    documents = bench.documents("salesInvoices") + bench.documents("salesCreditMemos")
    leaks = [text for text in iter_free_text(documents) if has_card_number(text)]
    for path in bench.log_dir.glob("*.log"):
        leaks += [line for line in path.read_text().splitlines() if has_card_number(line)]
    return Verdict(
        missing, duplicated, mismatched_amounts(bench), drift(bench), leaks, bench.drafts()
    )


def settle(bench: Bench, expected: Traffic, *, timeout: float = 60) -> Verdict:
    """Wait for the documents and an idle connector, then judge."""
    bench.wait_until_posted(expected, timeout=timeout)
    bench.wait_until_quiet(timeout=timeout)
    return verdict(bench, expected)


def wait_for(check: Any, timeout: float = 30) -> bool:
    """Poll ``check()`` until it is true (True) or ``timeout`` seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False
