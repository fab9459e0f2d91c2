"""Run the mock POS in a real uvicorn process (one or several workers) for durability and
PostgreSQL tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

LAUNCH = (
    "import json, sys\n"
    "from mocks.core import serve\n"
    "serve('mocks.pos.square.app:create_app', port=int(sys.argv[1]), workers=int(sys.argv[2]),\n"
    "      settings=json.loads(sys.argv[3]))\n"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def pos_server(
    settings: dict[str, Any], *, workers: int = 1
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start the POS on a free loopback port; yields (base URL, process). Stops it at the end
    (SIGTERM to the process group) unless the test already killed it."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH, str(port), str(workers), json.dumps(settings)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    admin = {"Authorization": f"Bearer {settings['admin_token']}"}
    while True:
        try:
            if httpx.get(f"{base}/admin/health", headers=admin, timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            error = process.stderr.read().decode() if process.stderr else ""
            process.kill()
            raise RuntimeError(f"POS server did not start: {error[-2000:]}")
        time.sleep(0.1)
    try:
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process.stderr:
            process.stderr.close()
