"""Child processes of a live run: started in their own process group, logs in the run
directory, health polling, and a stop that never leaves orphans (SIGTERM to the group,
then SIGKILL).

Example::

    with ProcessSet() as procs:
        pos = procs.start("pos", [sys.executable, "-m", "..."], log=run_dir / "logs/pos.log")
        wait_healthy(pos, "http://127.0.0.1:8101/admin/health", timeout=30)
    # every process of the set is stopped here, also on Ctrl-C or an exception
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType, TracebackType

import httpx

from tillbench.live.errors import HarnessError

__all__ = [
    "ManagedProcess",
    "ProcessSet",
    "terminate_as_interrupt",
    "wait_healthy",
]

STOP_GRACE_S = 10.0
"""SIGTERM → SIGKILL grace (the connector contract: exit within 10 s)."""

REAP_WAIT_S = 2.0
"""After SIGKILL, how long to wait for the group's orphans to be reaped."""


class ManagedProcess:
    """One child process leading its own process group (so its workers die with it)."""

    def __init__(
        self,
        name: str,
        argv: Sequence[str] | str,
        *,
        log: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        self.name = name
        self.argv = argv
        self.log_path = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = log.open("ab")
        full_env = {**os.environ, **(env or {})}
        try:
            self.popen = subprocess.Popen(
                argv,
                shell=isinstance(argv, str),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                env=full_env,
                cwd=cwd,
                start_new_session=True,
            )
        except OSError:
            self._log.close()
            raise

    @property
    def pid(self) -> int:
        return self.popen.pid

    @property
    def running(self) -> bool:
        return self.popen.poll() is None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll()

    def log_tail(self, lines: int = 20) -> str:
        """The last lines the process wrote (stdout and stderr)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL the whole process group at once (no shutdown hooks run)."""
        self._signal_group(signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.popen.wait(timeout=5)

    def stop(self, grace: float = STOP_GRACE_S) -> int | None:
        """SIGTERM the group, wait up to ``grace`` seconds for every process in it (a shell
        leading the group exits at once, the program it started may take its time), then
        SIGKILL what is left; returns the leader's exit code."""
        deadline = time.monotonic() + grace
        if self.running:
            self._signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                self.kill()
        while self.group_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        self._signal_group(signal.SIGKILL)  # leftovers of the group (e.g. uvicorn workers)
        reaped = time.monotonic() + REAP_WAIT_S
        while self.group_alive() and time.monotonic() < reaped:
            time.sleep(0.02)
        self._log.close()
        return self.popen.poll()

    def group_alive(self) -> bool:
        """Whether any process of the group is left (the leader reaped or not)."""
        try:
            os.killpg(self.popen.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def _signal_group(self, sig: signal.Signals) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)


class ProcessSet:
    """Processes stopped together, newest first, when the ``with`` block ends."""

    def __init__(self) -> None:
        self._procs: list[ManagedProcess] = []

    def start(
        self,
        name: str,
        argv: Sequence[str] | str,
        *,
        log: Path,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
    ) -> ManagedProcess:
        proc = ManagedProcess(name, argv, log=log, env=env, cwd=cwd)
        self._procs.append(proc)
        return proc

    def forget(self, proc: ManagedProcess, *, kill: bool = False) -> None:
        """Stop ``proc`` now (``kill``: SIGKILL at once) and drop it from the set."""
        if kill:
            proc.kill()
        proc.stop()
        if proc in self._procs:
            self._procs.remove(proc)

    def stop_all(self) -> None:
        while self._procs:
            self._procs.pop().stop()

    def __enter__(self) -> ProcessSet:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop_all()


def wait_healthy(
    proc: ManagedProcess | None,
    url: str,
    *,
    timeout: float,
    expect_json_ok: bool = False,
    headers: Mapping[str, str] | None = None,
) -> bool:
    """Poll ``url`` until it answers 200; False on timeout. Raises `HarnessError` if
    ``proc`` exits first (with the tail of its log)."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    with httpx.Client(timeout=2.0, headers=dict(headers or {})) as client:
        while time.monotonic() < deadline:
            if proc is not None and not proc.running:
                raise HarnessError(
                    f"{proc.name} exited with code {proc.returncode} before it was healthy; "
                    f"log {proc.log_path}:\n{proc.log_tail()}"
                )
            with contextlib.suppress(httpx.HTTPError, ValueError):
                response = client.get(url)
                if response.status_code == 200 and (
                    not expect_json_ok or response.json().get("status") == "ok"
                ):
                    return True
            time.sleep(delay)
            delay = min(delay * 1.5, 0.5)
    return False


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Inside the block, SIGTERM to the harness raises KeyboardInterrupt (so cleanup runs)."""
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except ValueError:
        yield
        return

    def handler(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
