"""Start and stop `trytond` for an initialised database, bound to 127.0.0.1.

The server runs as a child process with ``-d DATABASE`` (without it every login fails),
its pid in ``WORKDIR/trytond.pid`` and its output in ``WORKDIR/trytond.log``. `start_server`
returns once ``common.db.login`` succeeds; `stop_server` ends it by the pid file, and
treats a pid file whose process is gone (or is not trytond) as stale.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType

import httpx

from erps.errors import ErpError
from erps.tryton.config import write_config
from erps.tryton.database import TrytonDatabase
from erps.tryton.env import ensure_env

__all__ = ["PID_FILE", "TrytonServer", "server_status", "start_server", "stop_server"]

PID_FILE = "trytond.pid"
LOG_FILE = "trytond.log"
_URL_FILE = "trytond.url"
_READY_TIMEOUT_S = 90.0
_STOP_TIMEOUT_S = 15.0
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}
"""servers started by this process, reaped by `stop_server` (no zombie, no ResourceWarning)"""


@dataclasses.dataclass(slots=True)
class TrytonServer:
    """A running trytond; `url` is the JSON-RPC database URL (`TrytonClient` takes it, as do
    the connectors' clients)."""

    url: str
    database: str
    user: str
    password: str
    pid: int
    log_path: Path
    workdir: Path

    def stop(self) -> None:
        stop_server(self.workdir)

    def __enter__(self) -> TrytonServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_server(
    db: TrytonDatabase, *, port: int | None = None, workdir: Path, processes: int = 1
) -> TrytonServer:
    """Start trytond on 127.0.0.1:`port` (a free one when None) and wait until login works."""
    if processes != 1:
        raise ErpError(
            f"processes={processes}: trytond serves one threaded process per port; use processes=1"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    workdir = workdir.resolve()
    running = _live_pid(workdir)
    if running is not None:
        raise ErpError(
            f"trytond is already running in {workdir} (pid {running}); stop it with "
            f"`tillbench erp tryton stop --dir {workdir}`"
        )
    port = port or _free_port()
    _check_port(port)
    env = ensure_env()
    config = write_config(workdir / "trytond.conf", uri=db.uri, sqlite_dir=db.sqlite_dir, port=port)
    log_path = workdir / LOG_FILE
    with log_path.open("ab") as log:
        proc = subprocess.Popen(
            [str(env.trytond), "-c", str(config), "-d", db.name],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    _CHILDREN[proc.pid] = proc
    (workdir / PID_FILE).write_text(str(proc.pid))
    url = f"http://127.0.0.1:{port}/{db.name}/"
    try:
        _wait_ready(proc, url, db, log_path)
    except BaseException:
        stop_server(workdir)
        raise
    (workdir / _URL_FILE).write_text(url)
    return TrytonServer(
        url=url,
        database=db.name,
        user=db.user,
        password=db.password,
        pid=proc.pid,
        log_path=log_path,
        workdir=workdir,
    )


def stop_server(workdir: Path) -> bool:
    """Stop the trytond of `workdir`; False when none was running (a stale pid file goes)."""
    pid = _live_pid(workdir)
    (workdir / PID_FILE).unlink(missing_ok=True)
    (workdir / _URL_FILE).unlink(missing_ok=True)
    if pid is None:
        _reap_exited()
        return False
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + _STOP_TIMEOUT_S
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    child = _CHILDREN.pop(pid, None)
    if child is not None:
        child.wait(timeout=_STOP_TIMEOUT_S)
    return True


def _reap_exited() -> None:
    for pid, child in list(_CHILDREN.items()):
        if child.poll() is not None:
            del _CHILDREN[pid]


def server_status(workdir: Path) -> tuple[int, str] | None:
    """(pid, url) of the trytond running for `workdir`, or None."""
    pid = _live_pid(workdir)
    url_file = workdir / _URL_FILE
    if pid is None or not url_file.exists():
        return None
    return pid, url_file.read_text()


def _live_pid(workdir: Path) -> int | None:
    path = workdir / PID_FILE
    try:
        pid = int(path.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    if not _alive(pid) or not _is_trytond(pid):
        path.unlink(missing_ok=True)
        return None
    return pid


def _alive(pid: int) -> bool:
    child = _CHILDREN.get(pid)
    if child is not None:
        return child.poll() is None
    with contextlib.suppress(ChildProcessError):
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _is_trytond(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True
    return b"trytond" in cmdline


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _check_port(port: int) -> None:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            raise ErpError(
                f"port {port} on 127.0.0.1 is busy; pick another with --port or stop "
                "what listens there"
            ) from None


def _wait_ready(proc: subprocess.Popen[bytes], url: str, db: TrytonDatabase, log: Path) -> None:
    body = {
        "id": 0,
        "method": "common.db.login",
        "params": [db.user, {"password": db.password}, "en"],
    }
    deadline = time.monotonic() + _READY_TIMEOUT_S
    last = "no answer"
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise ErpError(
                    f"trytond exited with {proc.returncode} before answering; see {log}: "
                    f"{_tail(log)}"
                )
            try:
                answer = client.post(url + "rpc/", json=body)
                data = answer.json()
                if answer.status_code == 200 and isinstance(data.get("result"), list):
                    return
                last = f"{answer.status_code} {str(data)[:200]}"
            except (httpx.HTTPError, ValueError) as exc:
                last = str(exc) or type(exc).__name__
            time.sleep(0.25)
    raise ErpError(
        f"trytond at {url} did not accept a login within {_READY_TIMEOUT_S:.0f} s "
        f"(last: {last}); see {log}"
    )


def _tail(log: Path) -> str:
    lines = log.read_text(errors="replace").strip().splitlines()
    return " | ".join(lines[-3:])
