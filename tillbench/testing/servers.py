"""Where a fixture's mock runs: in this process (uvicorn on a thread) or as a child process.

Either way the mock is a dialect of ``mocks`` seen through its live-run target
(`tillbench.live.targets`: ``square``, ``bc``, …), so the dialect's own knowledge — the
URL the connector is given, its ``TILLBENCH_*`` variables, the webhook subscription,
seeding, the end state read through the vendor's API — is the harness's, and a dialect
registered for ``tillbench run`` works here unchanged.

- ``subprocess``: the target starts its mock the way ``tillbench run`` does (a child
  process under uvicorn, `tillbench.live.processes.ProcessSet`).
- ``inprocess``: `InProcessServer` builds the dialect's app with the same settings and
  serves it on a loopback socket from a daemon thread; the target is bound to it
  (`bind_target`), which only replaces the target's ``server`` and ``run``.
"""

from __future__ import annotations

import gc
import importlib
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from tillbench.testing.errors import StartError

if TYPE_CHECKING:
    from domain.clock import RunClock
    from tillbench.live.targets import TargetRun
    from tillbench.live.targets.mock import MockTarget

__all__ = ["InProcessServer", "bind_target"]

STARTUP_TIMEOUT_S = 30.0
_live_servers = 0
_gc_lock = threading.Lock()


class InProcessServer:
    """A mock app served by uvicorn on a daemon thread of this process.

    It offers what a live-run target asks of its server (``base``, ``db``, ``name``,
    ``wait_ready``, ``anchor``, ``fault``, ``fetch_journal``), through the same admin doors.
    """

    def __init__(
        self, *, side: str, factory: str, settings: dict[str, Any], admin_token: str
    ) -> None:
        self.side = side
        self.factory = factory
        self.settings = settings
        self.db = str(settings["db_url"])
        self._headers = {"Authorization": f"Bearer {admin_token}"}
        self._sock: socket.socket | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self.port = 0

    @property
    def name(self) -> str:
        return f"mock-{self.side}"

    @property
    def base(self) -> str:
        """``http://127.0.0.1:PORT``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> InProcessServer:
        """Build the app (errors in its settings raise here) and start serving it."""
        import uvicorn

        global _live_servers
        module, _, attr = self.factory.partition(":")
        try:
            app = getattr(importlib.import_module(module), attr)(self.settings)
        except Exception as exc:
            raise StartError(f"{self.name} ({self.factory}) could not be built: {exc}") from exc
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port = int(self._sock.getsockname()[1])
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._serve, name=f"tillbench-{self.name}", daemon=True
        )
        with _gc_lock:
            _live_servers += 1
        self._thread.start()
        return self

    def _serve(self) -> None:
        try:
            self._server.run(sockets=[self._sock])
        except BaseException as exc:  # reported by wait_ready
            self._failure = exc

    def wait_ready(self) -> None:
        """Wait until it answers ``/admin/health``; `StartError` if it does not."""
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        assert self._thread is not None, "start() first"
        while time.monotonic() < deadline:
            if not self._thread.is_alive():
                raise StartError(f"{self.name} stopped while starting: {self._failure!r}")
            if self._server.started:
                break
            time.sleep(0.002)
        answer = httpx.get(f"{self.base}/admin/health", headers=self._headers, timeout=10)
        if answer.status_code != 200:
            raise StartError(f"{self.name} answered /admin/health with {answer.status_code}")

    def anchor(self, clock: RunClock) -> None:
        """``PUT /admin/clock``: the mock's simulated time follows ``clock``."""
        assert clock.start is not None, "the clock carries the scenario start"
        body = {
            "start": clock.start.isoformat(),
            "speed": clock.speed,
            "wall_origin": clock.wall_origin,
        }
        httpx.put(f"{self.base}/admin/clock", json=body, headers=self._headers, timeout=10)

    async def fault(self, spec: dict[str, Any]) -> tuple[float, float]:
        """``POST /admin/faults`` now; the wall window the mock says it covers."""
        async with httpx.AsyncClient(headers=self._headers, timeout=10) as client:
            answer = await client.post(f"{self.base}/admin/faults", json=spec)
            answer.raise_for_status()
            body = answer.json()
        return float(body["start"]), float(body["end"])

    def fetch_journal(self, directory: Path) -> None:
        """The request journal as ``directory/journal.parquet``."""
        answer = httpx.get(f"{self.base}/admin/journal.parquet", headers=self._headers, timeout=120)
        answer.raise_for_status()
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "journal.parquet").write_bytes(answer.content)

    def stop(self) -> None:
        """Ask uvicorn to exit, wait for the thread; safe to call twice."""
        global _live_servers
        if self._thread is None:
            return
        self._server.should_exit = True
        self._thread.join(timeout=30)
        self._thread = None
        if self._sock is not None:
            self._sock.close()
        with _gc_lock:
            _live_servers -= 1
            if _live_servers == 0:
                # the mocks' start-up freezes the heap for a server process (gc.freeze);
                # in a test process that would keep every object of the session forever
                gc.unfreeze()


class _Bound:
    """Replaces a live-run target's ``server`` and ``run`` (`bind_target`)."""

    _tb_server: Any
    _tb_run: Any

    @property
    def server(self) -> Any:
        return self._tb_server

    @property
    def run(self) -> Any:
        return self._tb_run


_BOUND: dict[type, type] = {}


def bind_target(target: MockTarget, *, run: TargetRun, server: InProcessServer) -> MockTarget:
    """A target of the same dialect as ``target`` whose server is ``server`` (it reads,
    seeds and subscribes through it exactly as a started target does)."""
    cls = type(target)
    bound = _BOUND.get(cls)
    if bound is None:
        bound = type(f"InProcess{cls.__name__}", (_Bound, cls), {})
        _BOUND[cls] = bound
    made: Any = bound(target.options)
    made._tb_server = server
    made._tb_run = run
    return made  # type: ignore[no-any-return]
