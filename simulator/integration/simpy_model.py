"""The integration model in SimPy: the readable reference the fast path is checked against.

One generator process per store feeds the connector's shared backlog (a
``PriorityStore``: retries ahead of new work, FIFO within each); ``workers`` worker
processes take requests from it and call the ERP, a ``simpy.Resource`` of ``concurrency``
slots behind `ErpDoor`; a ticker process builds the batches. Connector outages and 429
pauses hold the workers; a 429 halves the requests in flight (AIMD, as the fast path). It uses
the same draws and the same `Recorder` as the fast path, so on small inputs both give the
same commit times (tested); it is far slower.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Generator
from typing import Any

import numpy as np
import simpy

from simulator.integration.config import ModelConfig
from simulator.integration.erp import CONFLICT, OK, TOO_MANY, ErpDoor, service_time
from simulator.integration.outcome import CONTINUE, Outcome, Recorder
from simulator.integration.stream import DocStream

__all__ = ["run_simpy"]

Proc = Generator[simpy.Event, Any, None]


def run_simpy(stream: DocStream, config: ModelConfig) -> Outcome:
    """Run the integration model over ``stream`` as SimPy processes."""
    env = simpy.Environment()
    rec = Recorder(stream, config)
    model = _Model(env, rec, config)
    for store in np.unique(stream.store).tolist():
        mine = np.flatnonzero((stream.store == store) & ~stream.batched)
        if len(mine):
            env.process(model.feed(mine[np.argsort(stream.ready[mine], kind="stable")]))
    batched = np.flatnonzero(stream.batched)
    if len(batched):
        env.process(model.ticker(batched[np.argsort(stream.ready[batched], kind="stable")]))
    for _ in range(config.options.workers or 0):
        env.process(model.worker())
    env.run()
    return rec.outcome(model.door)


class _Model:
    def __init__(self, env: simpy.Environment, rec: Recorder, config: ModelConfig) -> None:
        self.env, self.rec, self.config = env, rec, config
        self.erp = simpy.Resource(env, capacity=config.concurrency)
        self.door = ErpDoor(config)
        self.backlog = simpy.PriorityStore(env)
        self.seq = itertools.count()
        self.paused_until = 0.0
        self.cap = float(config.options.workers or math.inf)
        self.cwnd = self.cap
        self.inflight = 0
        self.less = env.event()

    def put(self, r: int, *, retry: bool) -> None:
        item = simpy.PriorityItem((0 if retry else 1, next(self.seq)), r)
        if self.config.options.workers is None:
            self.env.process(self.call(r))
        else:
            self.backlog.put(item)

    def feed(self, docs: np.ndarray) -> Proc:
        ready = self.rec.stream.ready
        for d in docs.tolist():
            yield self.env.timeout(max(0.0, ready[d] - self.env.now))
            self.put(d, retry=False)

    def ticker(self, docs: np.ndarray) -> Proc:
        env, size = self.env, self.config.batch_size
        ready = self.rec.stream.ready[docs].tolist()
        order = docs.tolist()
        i = 0
        while i < len(order):
            yield env.timeout(self.config.interval_s)
            j = i
            while j < len(order) and ready[j] <= env.now:
                j += 1
            for lo in range(i, j, size):
                self.put(self.rec.new_batch(order[lo : min(j, lo + size)]), retry=False)
            i = j

    def worker(self) -> Proc:
        while True:
            item = yield self.backlog.get()
            yield from self.call(item.item)

    def call(self, r: int) -> Proc:
        env, rec, cfg = self.env, self.rec, self.config
        while True:
            hold = max(self.paused_until, cfg.faults.connector_up_at(env.now))
            if hold > env.now:
                yield env.timeout(hold - env.now)
            elif self.inflight >= self.cwnd:
                yield self.less
            else:
                break
        self.inflight += 1
        while True:
            now = env.now
            z, u = rec.draws(r)
            status, retry_after, extra = self.door.admit(
                now, u, waiting=len(self.erp.queue), all_busy=self.erp.count >= cfg.concurrency
            )
            service = 0.0
            if status > 0:
                yield env.timeout(cfg.options.reject_s)
            else:
                with self.erp.request() as slot:
                    busy = self.erp.count if slot.triggered else 0
                    yield slot
                    service = extra + service_time(
                        cfg,
                        ops=len(rec.docs(r)),
                        batch=r >= rec.n,
                        z=z,
                        busy=busy or self.erp.count,
                    )
                    rec.busy_s += service
                    yield env.timeout(service)
                status = -status if status else OK
            status = rec.answer(r, now, env.now, status, service)
            if status != CONTINUE:
                break
            self.cwnd = min(self.cap, self.cwnd + 1.0)  # the next step, by the same worker
        self.inflight -= 1
        self.less.succeed()
        self.less = env.event()
        if status in (OK, CONFLICT):
            self.cwnd = min(self.cap, self.cwnd + 1.0)
            return
        if status == TOO_MANY:
            self.paused_until = max(self.paused_until, env.now + retry_after)
            self.cwnd = max(1.0, self.cwnd / 2)
        env.process(self._retry(r, rec.retry_in(r, env.now, status, retry_after)))

    def _retry(self, r: int, wait: float) -> Proc:
        yield self.env.timeout(wait)
        self.put(r, retry=True)
