"""The exact event-driven fast path of the integration model (a heap, no SimPy).

Events are document arrivals (a merge over the sorted visibility times, not heap pushes),
answers, retry timers, batch ticks and the end of a pause. The ERP is ``concurrency``
servers first come, first served (a heap of free times, as `simulator.queueing`): a
request's start and load-dependent service are fixed the moment it arrives, because later
arrivals never overtake it. That makes the whole model one pass over time; the SimPy model
in `simulator.integration.simpy_model` gives the same answers on small inputs (tested).

Connector: ``workers`` requests in flight; a FIFO backlog with retries ahead of new work;
a 429 pauses all sending for its Retry-After and halves the requests in flight, each
success lets one more fly again, up to ``workers`` (additive increase, multiplicative
decrease: no thundering herd against a full request window; without a worker limit every
sale is on its own, herd and all); a connector outage pauses sending until it ends.
Batch mode collects what arrived since the last tick every ``interval`` and sends it in
``$batch`` requests of up to ``max_batch`` operations.
"""

from __future__ import annotations

import heapq
import math
from collections import deque

import numpy as np

from simulator.integration.config import ModelConfig
from simulator.integration.erp import CONFLICT, OK, TOO_MANY, ErpDoor, service_time
from simulator.integration.outcome import CONTINUE, Outcome, Recorder
from simulator.integration.stream import DocStream

__all__ = ["run_fast"]

_DONE, _RETRY, _TICK, _RESUME = 0, 1, 2, 3


def run_fast(stream: DocStream, config: ModelConfig) -> Outcome:
    """Run the integration model over ``stream``; see the module docstring."""
    rec = Recorder(stream, config)
    n = rec.n
    door = ErpDoor(config)
    c = config.concurrency
    servers = [(0.0, k) for k in range(c)]
    waiting: deque[float] = deque()
    order = np.argsort(stream.ready, kind="stable")
    ready = stream.ready[order].tolist()
    arrivals = order.tolist()
    batched = stream.batched.tolist()
    n_arr = len(arrivals)
    events: list[tuple[float, int, int, int, int]] = []
    seq = 0
    backlog: deque[int] = deque()
    retries: deque[int] = deque()
    pending: list[int] = []
    retry_after: dict[int, float] = {}
    paused_until = 0.0
    cap = float(config.options.workers) if config.options.workers is not None else math.inf
    cwnd = cap
    inflight = 0
    resume_at = math.inf
    interval = config.interval_s
    size = config.batch_size
    reject = config.options.reject_s
    faults = config.faults
    has_connector_faults = bool(faults.of("connector", "outage"))
    pos = 0
    batched_left = sum(batched)
    if batched_left:
        heapq.heappush(events, (interval, seq, _TICK, 0, 0))
        seq += 1
    heappush, heappop = heapq.heappush, heapq.heappop
    batches = rec.batches
    lognormal = config.options.service == "lognormal"
    median, sigma = config.latency_median_s, config.latency_sigma
    lf = config.load_factor
    exp = math.exp

    def send(r: int, now: float) -> None:
        """Send request ``r`` (its current step) at ``now``: the ERP's door, then a slot."""
        nonlocal seq
        single = r < n
        z, u = rec.draws(r)
        while waiting and waiting[0] <= now:
            waiting.popleft()
        first_free = servers[0][0]
        status, retry_after_s, extra = door.admit(
            now, u, waiting=len(waiting), all_busy=first_free > now
        )
        if status > 0:
            end = now + reject
            service = 0.0
            if status == TOO_MANY:
                retry_after[r] = retry_after_s
        else:
            start = first_free if first_free > now else now
            busy = 1
            for f, _k in servers:
                if f > start:
                    busy += 1
            if single and lognormal:
                service = extra + median * exp(sigma * z) * (1.0 + lf * (busy - 1) / c)
            else:
                service = extra + service_time(
                    config,
                    ops=1 if single else len(batches[r - n]),
                    batch=not single,
                    z=z,
                    busy=busy,
                )
            end = start + service
            heapq.heapreplace(servers, (end, servers[0][1]))
            if start > now:
                waiting.append(start)
            rec.busy_s += service
            status = -status if status else OK
        status = rec.answer(r, now, end, status, service)
        heappush(events, (end, seq, _DONE, r, status))
        seq += 1

    while True:
        next_arrival = ready[pos] if pos < n_arr else math.inf
        if events and events[0][0] < next_arrival:
            now, _, what, r, status = heappop(events)
            if what == _DONE:
                if status == CONTINUE:
                    cwnd = min(cap, cwnd + 1.0)
                    send(r, now)  # the same worker sends the next step at once
                    continue
                inflight -= 1
                if status in (OK, CONFLICT):
                    cwnd = min(cap, cwnd + 1.0)
                else:
                    after = retry_after.pop(r, 1.0) if status == TOO_MANY else 0.0
                    if status == TOO_MANY:
                        paused_until = max(paused_until, now + after)
                        cwnd = max(1.0, cwnd / 2)
                    wait = rec.retry_in(r, now, status, after)
                    heappush(events, (now + wait, seq, _RETRY, r, 0))
                    seq += 1
            elif what == _RETRY:
                retries.append(r)
            elif what == _TICK:
                for lo in range(0, len(pending), size):
                    backlog.append(rec.new_batch(pending[lo : lo + size]))
                pending = []
                if batched_left:
                    heappush(events, (now + interval, seq, _TICK, 0, 0))
                    seq += 1
            elif what == _RESUME:
                resume_at = math.inf
        elif pos < n_arr:
            now = next_arrival
            d = arrivals[pos]
            pos += 1
            if batched[d]:
                batched_left -= 1
                pending.append(d)
                continue
            backlog.append(d)
        else:
            break
        # dispatch
        if inflight >= cwnd or not (backlog or retries):
            continue
        start_ok = paused_until
        if has_connector_faults:
            start_ok = max(start_ok, faults.connector_up_at(now))
        if now < start_ok:
            if start_ok < resume_at:
                resume_at = start_ok
                heappush(events, (start_ok, seq, _RESUME, 0, 0))
                seq += 1
            continue
        while (backlog or retries) and inflight < cwnd:
            r = retries.popleft() if retries else backlog.popleft()
            inflight += 1
            send(r, now)
    return rec.outcome(door)
