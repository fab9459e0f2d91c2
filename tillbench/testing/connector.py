"""The connector under test, started against a test's mocks with the contract's environment.

Example::

    with start_connector(["python", "my_connector.py"], pos=pos, erp=erp,
                         workdir=tmp_path) as connector:
        refs = pos.ring_sales(3)
        erp.assert_posted_once(refs)
        connector.kill()        # SIGKILL, as a crash; then
        connector.restart()     # the same environment, its state directory kept

It gets what ``tillbench run`` gives a connector (``connectors/CONTRACT.md``): the POS's and
the ERP's ``TILLBENCH_*`` variables, a webhook subscription of its own (secret and URL),
``TILLBENCH_LISTEN``, state and log folders and ``TILLBENCH_SETTINGS`` (the scenario's
``integration`` section in wall seconds, unless ``settings`` is given).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx

from tillbench.testing.errors import SetupError, StartError
from tillbench.testing.handles import ErpHandle, PosHandle
from tillbench.testing.runs import command_line

__all__ = ["ConnectorHandle", "start_connector"]


class ConnectorHandle:
    """A running connector: its URL, environment, folders, log; kill and restart it."""

    def __init__(self, running: Any, prepared: Any) -> None:
        self._running = running
        self.env: dict[str, str] = dict(prepared.env)
        """The contract's environment it was started with."""
        self.url: str = prepared.url
        """Where it serves ``/health`` (and ``/metrics``)."""
        self.webhook_url: str = prepared.webhook
        self.state_dir = Path(self.env["TILLBENCH_STATE_DIR"])
        self.log_dir = Path(self.env["TILLBENCH_LOG_DIR"])

    @property
    def running(self) -> bool:
        proc = self._running.proc
        return proc is not None and proc.running

    def log(self) -> str:
        """What it printed (stdout and stderr) and wrote to ``TILLBENCH_LOG_DIR``."""
        parts = []
        for path in sorted(self.log_dir.glob("*")):
            if path.is_file():
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')}")
        return "\n".join(parts)

    def metrics(self) -> dict[str, Any]:
        """Its ``/metrics`` (backlog, posted, retries, dead letters), if it serves them."""
        answer = httpx.get(f"{self.url}/metrics", timeout=10)
        answer.raise_for_status()
        return dict(answer.json())

    def kill(self) -> None:
        """SIGKILL it (and its process group), as a crash would."""
        proc = self._running.proc
        if proc is not None:
            proc.kill()
            self._running.stop()

    def restart(self) -> None:
        """Start it again with the same environment and wait for ``/health``."""
        self.stop()
        self._start()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after the contract's 10 s."""
        self._running.stop()

    def _start(self) -> None:
        from tillbench.live import UsageError

        try:
            self._running.start()
        except UsageError as exc:
            raise StartError(f"{exc}\n{self.log()[-3000:]}") from None


@contextlib.contextmanager
def start_connector(
    command: str | Sequence[str],
    *,
    pos: PosHandle,
    erp: ErpHandle,
    workdir: Path,
    settings: Mapping[str, Any] | None = None,
    health_timeout: float = 30.0,
    name: str | None = None,
) -> Iterator[ConnectorHandle]:
    """Start ``command`` against ``pos`` and ``erp``, wait for its ``/health``; stop it on
    the way out. `SetupError` when the command cannot be run, `StartError` (with its log)
    when it never becomes healthy."""
    from tillbench.live import UsageError, resolve_connector
    from tillbench.live.connector import RunningConnector, connector_settings
    from tillbench.live.connector_env import connector_env
    from tillbench.live.processes import ProcessSet

    line = command_line(command)
    try:
        spec = resolve_connector(line, None)
    except UsageError as exc:
        raise SetupError(str(exc)) from None
    if name is not None:
        spec = type(spec)(name=name, command=spec.command, url=spec.url)
    scenario = pos.scenario
    chosen = (
        dict(settings)
        if settings is not None
        else connector_settings(scenario, speed=float(scenario.speed))
    )
    with ProcessSet() as procs:
        prepared = connector_env(
            spec, pos=pos.target, erp=erp.target, run_dir=workdir, settings=chosen
        )
        running = RunningConnector(
            procs,
            spec,
            env=prepared.env,
            log_dir=prepared.log_dir,
            url=prepared.url,
            health_timeout_s=health_timeout,
        )
        handle = ConnectorHandle(running, prepared)
        handle._start()
        try:
            yield handle
        finally:
            handle.stop()
