"""The driver keeps its schedule against a slow POS (no coordinated omission), batches
what falls due together, buffers offline stores, retries, and runs timed actions on time.

The POS here is a tiny app served by uvicorn on loopback that answers after a delay."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from domain.clock import RunClock
from tillbench.live import Driver, TimedAction, Txn
from tillbench.live.driver import plan_groups


class SlowPos:
    """Answers ``POST /driver/v1/transactions`` after ``delay`` seconds; the first
    ``failures`` requests get 503. Records (arrival wall, transaction ids)."""

    def __init__(self, delay: float = 0.0, failures: int = 0) -> None:
        self.delay = delay
        self.failures = failures
        self.requests: list[tuple[float, list[str]]] = []

    async def ingest(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append((time.time(), [t["txn_id"] for t in body["transactions"]]))
        await asyncio.sleep(self.delay)
        if self.failures > 0:
            self.failures -= 1
            return JSONResponse({"errors": [{"code": "SERVICE_UNAVAILABLE"}]}, status_code=503)
        return JSONResponse({"created": len(body["transactions"])})


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(pos: SlowPos) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        app = Starlette(routes=[Route("/driver/v1/transactions", pos.ingest, methods=["POST"])])
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def txns(times: list[float], store: str = "S0001") -> list[Txn]:
    return [
        Txn(t=t, txn_id=f"T{i:04d}", kind="sale", store_id=store, payload={"txn_id": f"T{i:04d}"})
        for i, t in enumerate(times)
    ]


def test_sends_follow_due_times_when_the_pos_is_slow(serve: Any) -> None:
    pos = SlowPos(delay=0.5)
    url = serve(pos)
    clock = RunClock(wall_origin=time.time() + 0.2, speed=1.0)
    schedule = [i * 0.05 for i in range(30)]
    driver = Driver(pos_url=url, admin_token="x", clock=clock, transactions=txns(schedule))
    started = time.time()
    records = asyncio.run(driver.run())
    elapsed = time.time() - started
    assert len(records) == 30
    lags = sorted(r.lag_s for r in records)
    assert lags[int(0.9 * (len(lags) - 1))] < 0.05, lags
    assert lags[-1] < 0.25, "a send waited for a 0.5 s answer"
    assert all(r.acked_wall - r.sent_wall >= 0.45 for r in records)
    assert elapsed < 0.2 + 1.5 + 0.5 + 1.0, "sends waited for earlier answers"
    arrivals = sorted(wall for wall, _ in pos.requests)
    assert arrivals[-1] - arrivals[0] == pytest.approx(1.45, abs=0.1)


def test_transactions_due_together_share_one_request(serve: Any) -> None:
    pos = SlowPos()
    url = serve(pos)
    clock = RunClock(wall_origin=time.time() + 0.1, speed=100.0)
    driver = Driver(
        pos_url=url, admin_token="x", clock=clock, transactions=txns([1.0, 1.0, 1.5, 30.0])
    )
    asyncio.run(driver.run())
    assert [ids for _, ids in pos.requests] == [["T0000", "T0001", "T0002"], ["T0003"]]


def test_failed_sends_are_retried_and_keep_their_first_send_time(serve: Any) -> None:
    pos = SlowPos(failures=2)
    url = serve(pos)
    clock = RunClock(wall_origin=time.time() + 0.1, speed=1.0)
    (record,) = asyncio.run(
        Driver(pos_url=url, admin_token="x", clock=clock, transactions=txns([0.0])).run()
    )
    assert record.attempts == 3
    assert record.status == 200
    assert record.lag_s < 0.05
    assert record.acked_wall - record.sent_wall > 0.25


def test_offline_store_is_buffered_and_sent_in_a_burst_at_the_window_end() -> None:
    clock = RunClock(wall_origin=1000.0, speed=10.0)
    plan = plan_groups(
        txns([5.0, 12.0, 15.0, 25.0]),
        clock=clock,
        offline={"S0001": [(10.0, 20.0)]},
    )
    assert [([t.t for t in g.txns], g.offline, g.due_wall) for g in plan] == [
        ([5.0], False, 1000.5),
        ([12.0, 15.0], True, 1002.0),
        ([25.0], False, 1002.5),
    ]


def test_other_stores_are_not_buffered() -> None:
    clock = RunClock(wall_origin=0.0, speed=1.0)
    plan = plan_groups(txns([12.0], store="S0002"), clock=clock, offline={"S0001": [(10.0, 20.0)]})
    assert [(g.offline, g.due_wall) for g in plan] == [(False, 12.0)]


def test_timed_actions_run_at_their_simulated_time(serve: Any) -> None:
    url = serve(SlowPos())
    clock = RunClock(wall_origin=time.time() + 0.1, speed=10.0)
    ran: list[float] = []

    async def action() -> None:
        ran.append(time.time())

    async def failing() -> None:
        raise RuntimeError("ERP said no")

    driver = Driver(
        pos_url=url,
        admin_token="x",
        clock=clock,
        transactions=txns([1.0]),
        actions=[TimedAction(3.0, "price", action), TimedAction(2.0, "bad", failing)],
    )
    asyncio.run(driver.run())
    assert ran[0] - clock.wall_at(3.0) == pytest.approx(0.0, abs=0.03)
    errors = {entry["name"]: entry["error"] for entry in driver.action_log}
    assert errors == {"price": None, "bad": "RuntimeError: ERP said no"}
