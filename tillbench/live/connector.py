"""The connector under test: started by command with the contract's environment, or
attached by URL (a connector the user runs himself).

Reference names map to commands: ``realtime`` → ``python -m connectors.realtime`` (and
``batch``, ``hybrid``); anything else is a command run by ``/bin/sh -c`` in a process group
of its own (``FOO=1 cmd``, ``cd dir && cmd`` work as in a terminal); stopping it signals the
whole group. The environment is the contract
of ``connectors/CONTRACT.md``: ``TILLBENCH_*`` variables (URLs, tokens, webhook secret and
URL, listen address, state and log directories, settings as JSON in wall seconds).
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import json
import os
import re
import shlex
import shutil
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tillbench.live.errors import ConnectorNotHealthy, HarnessError, UsageError
from tillbench.live.processes import ManagedProcess, ProcessSet, wait_healthy
from tillbench.live.redaction import write_private

__all__ = [
    "REFERENCE_CONNECTORS",
    "ConnectorSpec",
    "RunningConnector",
    "connector_settings",
    "resolve_connector",
]

REFERENCE_CONNECTORS = ("realtime", "batch", "hybrid")
WEBHOOK_PATH = "/webhooks/square"
HEALTH_TIMEOUT_S = 30.0
ATTACH_TIMEOUT_S = 120.0
CATALOG_POLL_S = 5.0


@dataclasses.dataclass(frozen=True, slots=True)
class ConnectorSpec:
    """What to run (``command``) or where to find it (``url``); ``name`` for the report."""

    name: str
    command: str | None = None
    url: str | None = None

    @property
    def attached(self) -> bool:
        return self.url is not None

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "command": self.command, "url": self.url}


def resolve_connector(connector: str | None, connector_url: str | None) -> ConnectorSpec:
    """Check ``--connector`` / ``--connector-url`` and turn them into a `ConnectorSpec`."""
    if connector_url is not None:
        if connector is not None:
            raise UsageError(
                "--connector and --connector-url exclude each other: give the command to start "
                "the connector, or the URL of one already running"
            )
        parts = urlsplit(connector_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or not parts.port:
            raise UsageError(
                f"--connector-url: expected a URL like http://127.0.0.1:9000, got {connector_url!r}"
            )
        return ConnectorSpec(name="attached", url=connector_url.rstrip("/"))
    name = connector or "realtime"
    if name in REFERENCE_CONNECTORS:
        module = f"connectors.{name}"
        if importlib.util.find_spec(module) is None:
            raise UsageError(
                f"--connector {name}: the reference connector {module} is not installed; "
                'pass your own with --connector "COMMAND"'
            )
        return ConnectorSpec(name=name, command=f"{shlex.quote(sys.executable)} -m {module}")
    try:
        words = shlex.split(name, comments=False)
    except ValueError as exc:
        raise UsageError(f"--connector {name!r}: not a valid command ({exc})") from None
    program = _program(words)
    if program is None:
        raise UsageError("--connector: the command is empty")
    found = os.path.expanduser(program) if program else program
    if found and shutil.which(found) is None and not Path(found).is_file():
        raise UsageError(
            f"--connector {name!r}: {program!r} is neither one of "
            f"{', '.join(REFERENCE_CONNECTORS)} nor a program on PATH; "
            "check the spelling or give the full path"
        )
    return ConnectorSpec(name=Path(program).name if program else "shell", command=name)


_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=")
_SHELL_SYNTAX = re.compile(r"[;&|<>()`$\n]|^(?:cd|exec|export|set|\.|source|if|for|while|case|\{)$")


def _program(words: list[str]) -> str | None:
    """The program a simple command runs (after ``NAME=value`` assignments); ``""`` when
    the shell decides (a builtin such as ``cd``, operators such as ``&&``, substitutions);
    None when there is no command at all."""
    rest = list(words)
    while rest and _ASSIGNMENT.match(rest[0]):
        rest.pop(0)
    if not rest:
        return None if not words else ""
    if any(_SHELL_SYNTAX.search(word) for word in rest):
        return ""
    return rest[0]


def connector_settings(
    scenario: Any, *, speed: float, workers: int | None = None
) -> dict[str, Any]:
    """``TILLBENCH_SETTINGS``: the ``integration`` section with durations in wall seconds;
    ``workers`` (concurrent ERP writers of the reference connectors) when given."""
    integ = scenario.integration
    extra = {} if workers is None else {"workers": workers}
    return {
        **extra,
        "mode": integ.mode,
        "interval": integ.interval.total_seconds() / speed,
        "max_batch": integ.max_batch,
        "retry": {
            "attempts": integ.retry.attempts,
            "base": integ.retry.base.total_seconds() / speed,
            "cap": integ.retry.cap.total_seconds() / speed,
            "jitter": integ.retry.jitter,
        },
        "catalog_poll": CATALOG_POLL_S,
        "speed": speed,
    }


def webhook_url(spec: ConnectorSpec, listen_port: int) -> str:
    """Where the POS delivers webhooks: the attached URL if it has a path, else a fixed path."""
    if spec.url is not None:
        parts = urlsplit(spec.url)
        return spec.url if parts.path not in ("", "/") else f"{spec.url}{WEBHOOK_PATH}"
    return f"http://127.0.0.1:{listen_port}{WEBHOOK_PATH}"


def listen_address(spec: ConnectorSpec, listen_port: int) -> str:
    """``TILLBENCH_LISTEN``: the attached URL's host:port, else loopback on a free port."""
    if spec.url is not None:
        parts = urlsplit(spec.url)
        return f"{parts.hostname}:{parts.port}"
    return f"127.0.0.1:{listen_port}"


def base_url(spec: ConnectorSpec, listen_port: int) -> str:
    """Where ``/health`` and ``/metrics`` are served."""
    if spec.url is not None:
        parts = urlsplit(spec.url)
        return f"{parts.scheme}://{parts.netloc}"
    return f"http://127.0.0.1:{listen_port}"


def write_env(env: dict[str, str], directory: Path) -> None:
    """``env.json`` and ``env.sh`` (for a user starting an attached connector by hand),
    readable by the owner only: they hold the run's tokens."""
    directory.mkdir(parents=True, exist_ok=True)
    write_private(directory / "env.json", json.dumps(env, indent=2, sort_keys=True) + "\n")
    lines = [f"export {k}={shlex.quote(v)}" for k, v in sorted(env.items())]
    write_private(directory / "env.sh", "\n".join(lines) + "\n")


def start_connector(
    procs: ProcessSet, spec: ConnectorSpec, *, env: dict[str, str], log_dir: Path
) -> ManagedProcess:
    """Start a command connector with ``env``; its stdout and stderr go to ``log_dir``."""
    assert spec.command is not None
    return procs.start("connector", spec.command, log=log_dir / "connector.out.log", env=env)


def await_health(
    proc: ManagedProcess | None, spec: ConnectorSpec, url: str, *, timeout: float | None = None
) -> None:
    """Wait for ``GET url/health`` → 200 ``{"status": "ok"}``; `ConnectorNotHealthy` if not."""
    if timeout is None:
        timeout = ATTACH_TIMEOUT_S if spec.attached else HEALTH_TIMEOUT_S
    try:
        healthy = wait_healthy(proc, f"{url}/health", timeout=timeout, expect_json_ok=True)
    except HarnessError:
        assert proc is not None
        raise ConnectorNotHealthy(
            f"connector {spec.name!r} exited with code {proc.returncode} before answering "
            f"GET /health; fix the command or read its log {proc.log_path}"
        ) from None
    if not healthy:
        where = f"log: {proc.log_path}" if proc is not None else "is it running?"
        raise ConnectorNotHealthy(
            f"connector {spec.name!r} did not answer GET {url}/health with 200 "
            f'{{"status": "ok"}} within {timeout:.0f} s; it must listen on TILLBENCH_LISTEN '
            f"({where})"
        )


WATCH_EVERY_S = 0.1
"""How often the harness looks whether the connector it started is still running."""

ExitFn = Callable[[dict[str, Any]], None]
"""Told about each unexpected exit: the ``run.json`` ``connector_exits`` entry."""


class RunningConnector:
    """The connector of a run (a process we own, or an attached URL), its restarts and its
    unexpected exits.

    From the first healthy answer until `stop`, a watcher thread looks at the process every
    `WATCH_EVERY_S`: an exit the harness did not ask for (not a planned outage's SIGKILL,
    not the SIGTERM of `stop`) goes into `exits` as ``{wall, t, code, restarted}`` (``t``
    null: derived from ``wall`` by the reader) and to ``on_exit``. The harness does not
    restart it; a planned outage later on starts it again, and marks the exit restarted.
    """

    def __init__(
        self,
        procs: ProcessSet,
        spec: ConnectorSpec,
        *,
        env: dict[str, str],
        log_dir: Path,
        url: str,
        health_timeout_s: float | None,
        on_exit: ExitFn | None = None,
    ) -> None:
        self.health_timeout_s = health_timeout_s
        self.procs = procs
        self.spec = spec
        self.env = env
        self.log_dir = log_dir
        self.url = url
        self.proc: ManagedProcess | None = None
        self.restarts = 0
        self.exits: list[dict[str, Any]] = []
        self._on_exit = on_exit
        self._lock = threading.Lock()
        self._reported: ManagedProcess | None = None
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None

    def start(self) -> None:
        if not self.spec.attached:
            proc = start_connector(self.procs, self.spec, env=self.env, log_dir=self.log_dir)
            with self._lock:
                self.proc = proc
        await_health(self.proc, self.spec, self.url, timeout=self.health_timeout_s)
        with self._lock:
            if self.proc is not None and self._watcher is None:
                self._stopping.clear()
                self._watcher = threading.Thread(
                    target=self._watch, name="connector-watch", daemon=True
                )
                self._watcher.start()

    async def outage(self, duration_wall: float) -> None:
        """Kill the connector (SIGKILL), wait, start it again with the same environment."""
        with self._lock:
            proc, self.proc = self.proc, None
        if proc is None:
            return
        await asyncio.to_thread(self.procs.forget, proc, kill=True)
        await asyncio.sleep(duration_wall)
        self.restarts += 1
        with self._lock:
            if proc is self._reported and self.exits:
                self.exits[-1]["restarted"] = True
        await asyncio.to_thread(self.start)

    def stop(self) -> None:
        """Stop watching, then stop the process (SIGTERM to its group, SIGKILL after 10 s);
        an exit before that is recorded first."""
        self._stopping.set()
        watcher = self._watcher
        if watcher is not None:
            watcher.join()
        self._check()
        with self._lock:
            proc, self.proc = self.proc, None
        if proc is not None:
            self.procs.forget(proc)

    def _watch(self) -> None:
        """Until `stop`, or until there is no running process left to watch (a restart
        starts a new watcher)."""
        while not self._stopping.wait(WATCH_EVERY_S):
            with self._lock:
                running, entry = self._poll_locked()
                if not running and self._watcher is threading.current_thread():
                    self._watcher = None
            self._tell(entry)
            if not running:
                return
        with self._lock:
            if self._watcher is threading.current_thread():
                self._watcher = None

    def _check(self) -> None:
        """Record an exit of the current process not yet recorded."""
        with self._lock:
            _running, entry = self._poll_locked()
        self._tell(entry)

    def _poll_locked(self) -> tuple[bool, dict[str, Any] | None]:
        """Whether the current process runs, and the entry of its exit when it is new."""
        proc = self.proc
        if proc is None or proc is self._reported:
            return False, None
        code = proc.returncode
        if code is None:
            return True, None
        self._reported = proc
        entry = {"wall": time.time(), "t": None, "code": code, "restarted": False}
        self.exits.append(entry)
        return False, entry

    def _tell(self, entry: dict[str, Any] | None) -> None:
        if entry is not None and self._on_exit is not None:
            self._on_exit(dict(entry))
