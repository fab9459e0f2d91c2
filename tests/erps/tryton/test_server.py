"""trytond's lifecycle: start (login works), stop, stale pid files, busy ports."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

import pytest

from erps.tryton import (
    ErpError,
    TrytonDatabase,
    init_database,
    server_status,
    start_server,
    stop_server,
)
from erps.tryton.server import PID_FILE
from tests.erps.tryton.support import login


def test_start_login_stop(tmp_path: Path, tryton_spec: dict[str, Any]) -> None:
    db = init_database(tryton_spec, workdir=tmp_path)
    server = start_server(db, workdir=tmp_path)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.url.endswith(f"/{db.name}/")
        uid, session = login(server.url, server.user, server.password)[:2]
        assert uid > 0
        assert session
        assert server_status(tmp_path) == (server.pid, server.url)
        assert (tmp_path / PID_FILE).read_text() == str(server.pid)
        with pytest.raises(ErpError, match="already running"):
            start_server(db, workdir=tmp_path)
    finally:
        assert stop_server(tmp_path)
    assert not (tmp_path / PID_FILE).exists()
    assert server_status(tmp_path) is None
    with pytest.raises(ProcessLookupError):
        os.kill(server.pid, 0)
    assert not stop_server(tmp_path)


def test_stop_when_nothing_runs(tmp_path: Path) -> None:
    assert not stop_server(tmp_path)


def test_stale_pid_file_is_cleaned_up(tmp_path: Path) -> None:
    (tmp_path / PID_FILE).write_text(str(os.getpid()))
    assert server_status(tmp_path) is None
    assert not stop_server(tmp_path)
    assert not (tmp_path / PID_FILE).exists()


def test_busy_port_is_named(tmp_path: Path, tryton_db: TrytonDatabase) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        with pytest.raises(ErpError, match=rf"port {port} on 127.0.0.1 is busy"):
            start_server(tryton_db, port=port, workdir=tmp_path)
    assert not (tmp_path / PID_FILE).exists()
