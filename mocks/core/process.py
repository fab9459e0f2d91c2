"""Run a mock in a child process (``serve`` under uvicorn) and wait until it answers.

Example::

    with MockProcess("mocks.erp:create_app", settings={"db_url": url}) as erp:
        httpx.get(f"{erp.base_url}/api/v2.0/companies", headers=...)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from types import TracebackType
from typing import Any

import httpx

from mocks.core.errors import MockError
from mocks.core.redact import redact, url_secrets


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class MockProcess:
    """A mock server in a subprocess; ``start()`` returns once ``/admin/health`` answers."""

    def __init__(
        self,
        factory: str,
        *,
        settings: Mapping[str, Any] | None = None,
        port: int | None = None,
        workers: int = 1,
        admin_token: str | None = None,
        startup_timeout: float = 30.0,
    ) -> None:
        self.factory = factory
        self.settings = dict(settings or {})
        self.port = port or free_port()
        self.workers = workers
        self.admin_token = admin_token or self.settings.get("admin_token", "tillbench-admin")
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> MockProcess:
        """Spawn the server and wait for it to be healthy."""
        code = (
            "import json, sys; from mocks.core import serve; "
            "serve(sys.argv[1], port=int(sys.argv[2]), workers=int(sys.argv[3]), "
            "settings=json.loads(sys.argv[4]))"
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                code,
                self.factory,
                str(self.port),
                str(self.workers),
                json.dumps(self.settings, default=str),
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._log,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        headers = {"Authorization": f"Bearer {self.admin_token}"}
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise MockError(
                    f"{self.factory} exited with {self.process.returncode}: {self.log()[-2000:]}"
                )
            try:
                if httpx.get(
                    f"{self.base_url}/admin/health", headers=headers, timeout=1
                ).is_success:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        self.stop()
        raise MockError(
            f"{self.factory} did not answer on port {self.port} within {self.startup_timeout} s"
        )

    def secrets(self) -> list[str]:
        """The credentials in this server's settings: its tokens and database password."""
        found = [str(self.admin_token), *map(str, self.settings.get("api_tokens") or {})]
        return found + url_secrets(str(self.settings.get("db_url") or ""))

    def log(self) -> str:
        """What the server wrote to stderr so far, credentials masked."""
        self._log.seek(0)
        return redact(self._log.read().decode(errors="replace"), self.secrets())

    def kill(self) -> None:
        """``kill -9`` the server and all its workers (no shutdown hooks run)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then kill if it lingers; closes the log."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()

    def __enter__(self) -> MockProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
