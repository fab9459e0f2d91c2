"""Start a connector per the contract: read the environment, open the durable state, build
the POS and ERP adapters the environment names, let the mode add its workers, and serve
webhooks, ``/health`` and ``/metrics`` until SIGTERM.

`build` assembles a `Connector` without starting it; `run` builds and runs one. Both take
`Seams`, through which a part (an adapter, the mapper) can be wrapped from outside; the
reference connectors (``python -m connectors.<mode>``) use none.

Modes (`MODES`, each a package that owns its logic):

- ``realtime`` (`connectors.realtime`): webhook events → inbox → orders → outbox → a pool
  of posters (one document per request), plus a sweep every ``interval`` that catches
  events that never arrived and a poll of non-sale POS stock changes.
- ``batch`` (`connectors.batch`): every ``interval``, poll completed orders (and non-sale
  stock changes) since their cursors, queue them and post them in batches; the order
  cursor moves only once they committed.
- ``hybrid`` (`connectors.hybrid`): stock in real time, documents batched together with
  stock postings that reverse the real-time ones in the same transaction (an ERP adapter
  with ``atomic_reversals`` only).

Every mode also runs the ERP → POS sync (`CatalogSync`) when both adapters take part in it
(the ERP adapter has a catalogue source and the POS adapter a catalogue); Tryton has none,
so against Tryton the sync is skipped (the harness runs no ERP-side events there).
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette

from connectors import erp as erp_adapters
from connectors import pos as pos_adapters
from connectors.core import logs
from connectors.core.adapters import AdapterContext, load
from connectors.core.cards import scrub
from connectors.core.catalog_sync import CatalogSync
from connectors.core.config import ContractEnv
from connectors.core.errors import ConnectorError
from connectors.core.intake import Intake, Mapper, reference_mapper
from connectors.core.loops import Worker
from connectors.core.metrics import Metrics
from connectors.core.seams import Seams
from connectors.core.server import build_app
from connectors.core.state import StateStore
from connectors.erp import ErpAdapter
from connectors.pos import PosAdapter

log = logging.getLogger("connector.runtime")

MODES: dict[str, str] = {
    "realtime": "connectors.realtime.mode:assemble",
    "batch": "connectors.batch.mode:assemble",
    "hybrid": "connectors.hybrid.mode:assemble",
}
"""Mode name → ``"module:function"`` that adds the mode's workers to a `Connector` and
returns the event its webhook processor waits on (None: the mode ignores webhooks)."""
SHUTDOWN_GRACE = 8.0
"""Seconds the workers get to hand back their work after SIGTERM (the contract allows 10)."""

Assemble = Callable[["Connector"], "threading.Event | None"]


@dataclass(slots=True)
class Connector:
    """What runs inside one connector process."""

    mode: str
    env: ContractEnv
    store: StateStore
    metrics: Metrics
    stop: threading.Event
    pos: PosAdapter
    erp: ErpAdapter
    mapper: Mapper
    rng: random.Random
    """Seeds the workers' randomness (retry jitter)."""
    threads: list[Worker] = field(default_factory=list)
    ready: threading.Event = field(default_factory=threading.Event)
    app: Starlette | None = None
    """The ASGI app serving the contract's endpoints."""

    def intake(self) -> Intake:
        """An `Intake` over this connector's state, POS adapter and mapper."""
        return Intake(store=self.store, pos=self.pos, mapper=self.mapper, metrics=self.metrics)

    def report(self) -> dict[str, Any]:
        """The body of ``GET /metrics``."""
        counts = self.store.counts()
        snapshot = self.metrics.snapshot()
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
            **self.erp.stats(),
        }


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: ours asks it to exit and then lets the
    workers hand back their work before the process ends with status 0."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def build(mode: str, *, environ: Mapping[str, str], seams: Seams | None = None) -> Connector:
    """Everything of one connector process, not started yet. Raises `ConnectorError` (e.g.
    `ConfigError`) when the environment or the mode is unusable."""
    seams = seams or Seams()
    if mode not in MODES:
        raise ConnectorError(f"mode: must be realtime, batch or hybrid, got {mode!r}")
    env = ContractEnv.from_environ(environ)
    logs.setup(env.log_dir)
    metrics = Metrics()
    stop = threading.Event()
    store = StateStore(env.state_dir)
    recovered = store.recover()
    if recovered:
        log.info("restart: %d postings were in flight; they will be looked up first", recovered)
    seed = random.Random(f"{env.run_id}:{os.getpid()}:{time.time_ns()}")
    context = AdapterContext(env=env, store=store, metrics=metrics, stop=stop, rng=seed)
    erp = seams.erp(load(erp_adapters.ADAPTERS, env.erp_kind, "TILLBENCH_ERP_KIND")(context))
    pos = seams.pos(
        load(pos_adapters.ADAPTERS, env.pos_kind, "TILLBENCH_POS_KIND")(context), erp=erp
    )
    connector = Connector(
        mode=mode,
        env=env,
        store=store,
        metrics=metrics,
        stop=stop,
        pos=pos,
        erp=erp,
        mapper=seams.mapper(reference_mapper(erp), erp=erp),
        rng=random.Random(seed.random()),
    )
    assemble: Assemble = load(MODES, mode, "mode")
    events = assemble(connector)
    if erp.catalogue is None or pos.catalogue is None:
        log.info(
            "ERP -> POS sync (items, prices, customers, deliveries) skipped: "
            "TILLBENCH_ERP_KIND=%s has none",
            env.erp_kind,
        )
    else:
        connector.threads.append(
            CatalogSync(
                store=store,
                erp=erp.catalogue,
                pos=pos.catalogue,
                interval=env.integration.catalog_poll,
                metrics=metrics,
                stop=stop,
            )
        )

    def sink(event_id: str, event_type: str, object_id: str | None, body: str) -> bool:
        if events is None:
            metrics.add("ignored_events")
            return False
        new = store.enqueue_event(event_id, event_type, object_id, scrub(body))
        if not new:
            metrics.add("duplicate_events")
        events.set()
        return new

    connector.app = build_app(
        webhook_path=env.webhook_path,
        verify=pos.verify,
        read_event=pos.read_event,
        sink=sink,
        metrics=connector.report,
        ready=connector.ready.is_set,
    )
    return connector


def run(mode: str, *, seams: Seams | None = None) -> int:
    """Run a connector until SIGTERM/SIGINT; returns the exit status (2 when it cannot
    start)."""
    try:
        connector = build(mode, environ=os.environ, seams=seams)
    except ConnectorError as error:
        print(f"{type(error).__name__}: {error}", flush=True)
        return 2
    env = connector.env
    log.info("starting %s connector for run %s on %s:%d", mode, env.run_id, env.host, env.port)
    for thread in connector.threads:
        thread.start()
    connector.ready.set()
    assert connector.app is not None
    config = uvicorn.Config(
        connector.app,
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
        connector.stop.set()
        deadline = time.monotonic() + SHUTDOWN_GRACE
        for thread in connector.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        log.info("stopped; state kept in %s", connector.store.path)
    return 0
