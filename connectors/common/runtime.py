"""Start a connector per the contract: read the environment, open the durable state, start
the mode's workers and serve webhooks, ``/health`` and ``/metrics`` until SIGTERM.

Modes:

- ``realtime``: webhook events → inbox → orders → outbox → a pool of posters (one document
  per request), plus a sweep every ``interval`` that catches events that never arrived and a
  poll of non-sale POS stock changes every `STOCK_POLL` seconds.
- ``batch``: every ``interval``, poll COMPLETED orders (and non-sale stock changes) since
  their cursors, queue them and post them through atomic ``$batch`` calls; the order cursor
  moves only once they committed.
- ``hybrid``: stock in real time (each sale or return becomes journal lines at once),
  documents batched; each batched document carries journal lines that reverse the
  real-time ones in the same atomic ``$batch``, so stock is never moved twice.

Every mode posts through the `ErpBackend` that ``TILLBENCH_ERP_KIND`` names (Business
Central by default, or Tryton). Against Business Central every mode also runs the ERP → POS
sync (`CatalogSync`: prices, items, customers, deliveries); against Tryton that sync is
skipped (the harness runs no ERP-side events there) and the hybrid mode is refused: it
needs documents and journal lines to commit in one transaction.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn

from connectors.common import logs
from connectors.common.absolute_stock import AbsoluteStockWriter
from connectors.common.backend import ErpBackend
from connectors.common.backends import open_backend
from connectors.common.batcher import Batcher
from connectors.common.cards import scrub
from connectors.common.catalog_sync import CatalogSync
from connectors.common.config import ContractEnv
from connectors.common.erp import ErpClient
from connectors.common.errors import ConfigError, ConnectorError
from connectors.common.http import HttpApi, Stopping
from connectors.common.hybrid import HybridIntake
from connectors.common.intake import Intake
from connectors.common.mapping import map_order
from connectors.common.metrics import Metrics
from connectors.common.planted import PlantedBugs
from connectors.common.poller import OrderPoller
from connectors.common.pos import PosClient
from connectors.common.poster import Poster
from connectors.common.processor import EventProcessor
from connectors.common.server import build_app
from connectors.common.state import StateStore
from connectors.common.stock_changes import StockChangeSync

log = logging.getLogger("connector.runtime")

STOCK_POLL = 1.0
"""Seconds between two polls of the POS for non-sale stock changes (real-time modes)."""
SHUTDOWN_GRACE = 8.0
"""Seconds the workers get to hand back their work after SIGTERM (the contract allows 10)."""


@dataclass(slots=True)
class Parts:
    """What runs inside one connector process."""

    env: ContractEnv
    store: StateStore
    metrics: Metrics
    stop: threading.Event
    pos: PosClient
    backend: ErpBackend
    erp: ErpClient | None
    """The Business Central client (None for other ERPs)."""
    threads: list[Any] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)


def _pos(
    env: ContractEnv, metrics: Metrics, stop: threading.Event, seed: random.Random
) -> PosClient:
    api = HttpApi(
        env.pos_url,
        env.pos_token,
        name="pos",
        policy=env.integration.retry,
        timeout=env.integration.request_timeout,
        rng=random.Random(seed.random()),
        metrics=metrics,
        stop=stop,
    )
    return PosClient(api)


def _loop(name: str, interval: float, stop: threading.Event, step: Any) -> threading.Thread:
    def run() -> None:
        while not stop.is_set():
            try:
                step()
            except Stopping:
                return
            except ConnectorError as error:
                log.warning("%s failed, next round retries: %s", name, error)
            except Exception:
                log.exception("%s crashed a round", name)
            if stop.wait(interval):
                return

    return threading.Thread(target=run, name=name, daemon=True)


def _metrics(parts: Parts) -> dict[str, Any]:
    counts = parts.store.counts()
    snapshot = parts.metrics.snapshot()
    return {
        "backlog": counts["pending"] + counts["inflight"] + counts["inbox"],
        "posted": counts["posted"],
        "retries": snapshot.get("retries", 0),
        "dead_letters": counts["dead_letters"],
        "outbox": {k: counts[k] for k in ("pending", "inflight", "posted", "dead")},
        "inbox": counts["inbox"],
        "erp_requests": snapshot.get("erp_requests", 0),
        "pos_requests": snapshot.get("pos_requests", 0),
        "duplicate_events": snapshot.get("duplicate_events", 0),
        **parts.backend.stats(),
    }


def _poster(parts: Parts, bugs: PlantedBugs, rng: random.Random, **only: Any) -> Poster:
    """The ERP posting workers, configured from the contract's settings."""
    integration = parts.env.integration
    return Poster(
        store=parts.store,
        backend=parts.backend,
        policy=integration.retry,
        workers=integration.workers,
        metrics=parts.metrics,
        stop=parts.stop,
        rng=random.Random(rng.random()),
        bugs=bugs,
        settle=integration.settle_seconds,
        **only,
    )


def _realtime(parts: Parts, bugs: PlantedBugs, rng: random.Random) -> EventProcessor:
    env = parts.env
    intake = _intake(parts, bugs)
    poster = _poster(parts, bugs, rng)
    counts = None
    if bugs.absolute_stock:
        if parts.erp is None:
            raise ConfigError("TILLBENCH_ERP_KIND", env.erp_kind, "absolute-stock needs one")
        counts = AbsoluteStockWriter(erp=parts.erp, store=parts.store, skus=parts.pos.skus)
    processor = EventProcessor(
        store=parts.store,
        pos=parts.pos,
        intake=intake,
        stop=parts.stop,
        on_queued=poster.wake.set,
        on_counts=counts,
    )
    poller = OrderPoller(pos=parts.pos, intake=intake, cursor_name="sweep")

    stock = StockChangeSync(intake)

    def sweep() -> None:
        if poller.poll():
            poster.wake.set()

    def stock_changes() -> None:
        if stock.poll():
            poster.wake.set()

    parts.threads += [
        processor,
        poster,
        _loop("sweep", env.integration.interval, parts.stop, sweep),
        _loop("stock-changes", STOCK_POLL, parts.stop, stock_changes),
    ]
    return processor


def _batch(
    parts: Parts,
    bugs: PlantedBugs,
    rng: random.Random,
    intake: Intake,
    *,
    kinds: tuple[str, ...] = ("invoice", "credit_memo", "journal"),
) -> None:
    env = parts.env
    batcher = Batcher(
        store=parts.store,
        backend=parts.backend,
        policy=env.integration.retry,
        max_batch=env.integration.max_batch,
        metrics=parts.metrics,
        stop=parts.stop,
        rng=random.Random(rng.random()),
        bugs=bugs,
        settle=env.integration.settle_seconds,
        kinds=kinds,
    )
    poller = OrderPoller(pos=parts.pos, intake=intake, cursor_name="orders")
    stock = StockChangeSync(intake)

    def cycle() -> None:
        orders, newest = poller.fetch()
        intake.queue(orders)
        if "journal" in kinds:
            stock.poll()
        if batcher.drain() and newest:
            parts.store.set_cursor("orders", newest)

    parts.threads.append(_loop("batch", env.integration.interval, parts.stop, cycle))


def _intake(parts: Parts, bugs: PlantedBugs) -> Intake:
    return Intake(
        store=parts.store,
        pos=parts.pos,
        bugs=bugs,
        metrics=parts.metrics,
        mapper=parts.backend.map_order,
    )


def _hybrid(parts: Parts, bugs: PlantedBugs, rng: random.Random) -> EventProcessor:
    if parts.erp is None:
        raise ConfigError(
            "TILLBENCH_ERP_KIND",
            parts.env.erp_kind,
            "the hybrid mode needs Business Central (documents and the journal lines that "
            "reverse real-time stock commit in one $batch); use realtime or batch",
        )
    intake = HybridIntake(
        store=parts.store, pos=parts.pos, bugs=bugs, metrics=parts.metrics, mapper=map_order
    )
    poster = _poster(parts, bugs, rng, kinds=("journal",))
    processor = EventProcessor(
        store=parts.store, pos=parts.pos, intake=intake, stop=parts.stop, on_queued=poster.wake.set
    )
    _batch(parts, bugs, rng, intake, kinds=("invoice", "credit_memo"))
    stock = StockChangeSync(intake)

    def stock_changes() -> None:
        if stock.poll():
            poster.wake.set()

    stocker = _loop("stock-changes", STOCK_POLL, parts.stop, stock_changes)
    parts.threads += [processor, poster, stocker]
    return processor


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ours asks it to exit and then lets the
    workers hand back their work before the process ends with status 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build(mode: str, *, environ: Mapping[str, str], bugs: PlantedBugs) -> tuple[Parts, Any]:
    """Everything of one connector process, not started yet; returns (parts, ASGI app)."""
    env = ContractEnv.from_environ(environ)
    logs.setup(env.log_dir)
    metrics = Metrics()
    stop = threading.Event()
    store = StateStore(env.state_dir)
    recovered = store.recover()
    if recovered:
        log.info("restart: %d postings were in flight; they will be looked up first", recovered)
    seed = random.Random(f"{env.run_id}:{os.getpid()}:{time.time_ns()}")
    pos = _pos(env, metrics, stop, seed)
    backend, erp = open_backend(env, metrics=metrics, stop=stop, rng=random.Random(seed.random()))
    parts = Parts(
        env=env, store=store, metrics=metrics, stop=stop, pos=pos, backend=backend, erp=erp
    )
    rng = random.Random(seed.random())
    processor: EventProcessor | None = None
    if mode == "realtime":
        processor = _realtime(parts, bugs, rng)
    elif mode == "batch":
        _batch(parts, bugs, rng, _intake(parts, bugs))
    elif mode == "hybrid":
        processor = _hybrid(parts, bugs, rng)
    else:
        raise ConnectorError(f"mode: must be realtime, batch or hybrid, got {mode!r}")
    if erp is None:
        log.info(
            "ERP -> POS sync (items, prices, customers, deliveries) skipped: "
            "TILLBENCH_ERP_KIND=%s has none",
            env.erp_kind,
        )
    else:
        parts.threads.append(
            CatalogSync(
                store=store,
                erp=erp,
                pos=pos,
                interval=env.integration.catalog_poll,
                metrics=metrics,
                stop=stop,
            )
        )

    def sink(event_id: str, event_type: str, object_id: str | None, body: str) -> bool:
        if processor is None:
            metrics.add("ignored_events")
            return False
        new = store.enqueue_event(event_id, event_type, object_id, scrub(body))
        if not new:
            metrics.add("duplicate_events")
        processor.wake.set()
        return new

    app = build_app(
        webhook_path=env.webhook_path,
        webhook_url=env.webhook_url,
        secret=env.webhook_secret,
        sink=sink,
        metrics=lambda: _metrics(parts),
        ready=parts.ready.is_set,
    )
    return parts, app


def run(mode: str, *, bugs: PlantedBugs | None = None) -> int:
    """Run a connector until SIGTERM/SIGINT; returns the exit status."""
    try:
        parts, app = build(mode, environ=os.environ, bugs=bugs or PlantedBugs())
    except ConnectorError as error:
        print(f"{type(error).__name__}: {error}", flush=True)
        return 2
    env = parts.env
    log.info("starting %s connector for run %s on %s:%d", mode, env.run_id, env.host, env.port)
    for thread in parts.threads:
        thread.start()
    parts.ready.set()
    config = uvicorn.Config(
        app,
        host=env.host,
        port=env.port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )
    server = _Server(config)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: setattr(server, "should_exit", True))
    try:
        server.run()
    finally:
        parts.stop.set()
        deadline = time.monotonic() + SHUTDOWN_GRACE
        for thread in parts.threads:
            joiner = getattr(thread, "join", None)
            if joiner is not None:
                joiner(max(0.0, deadline - time.monotonic()))
        log.info("stopped; state kept in %s", parts.store.path)
    return 0
