"""Tryton's lifecycle: cached init, start (login works), stop, stale pid files, busy ports."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from tryton_support import login

from erps.tryton import (
    ErpError,
    TrytonDatabase,
    init_database,
    load_database,
    server_status,
    start_server,
    stop_server,
)
from erps.tryton.env import MODULE_NAME, ensure_env, module_hash
from erps.tryton.server import PID_FILE


def test_ensure_env_is_quick_when_present(tryton_db: TrytonDatabase) -> None:
    started = time.monotonic()
    env = ensure_env()
    assert time.monotonic() - started < 2.0
    assert env.trytond.exists()
    assert env.trytond_admin.exists()
    (marker,) = env.root.glob(f"lib/python*/site-packages/trytond/modules/{MODULE_NAME}/.hash")
    assert marker.read_text() == module_hash()


@pytest.mark.slow
def test_ensure_env_creates_a_fresh_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TILLBENCH_TRYTON_VENV", str(tmp_path / "venv"))
    said: list[str] = []
    env = ensure_env(progress=said.append)
    assert env.root == tmp_path / "venv"
    assert env.trytond.exists()
    assert any("creating the Tryton environment" in line for line in said)
    said.clear()
    ensure_env(progress=said.append)
    assert said == []


def test_second_init_is_a_cache_hit_and_fast(
    tmp_path: Path, tryton_spec: dict[str, Any], tryton_db: TrytonDatabase
) -> None:
    started = time.monotonic()
    again = init_database(tryton_spec, workdir=tmp_path)
    elapsed = time.monotonic() - started
    assert again.cache_hit
    assert elapsed < 5.0
    assert again.spec_hash == tryton_db.spec_hash
    assert again.points == tryton_db.points
    assert sorted(again.points) == [s["id"] for s in tryton_spec["stores"]]
    assert (tmp_path / "tillbench.sqlite").stat().st_size > 0
    assert load_database(tmp_path) == again


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


def test_start_without_a_database_says_init_first(tmp_path: Path) -> None:
    with pytest.raises(ErpError, match="run `tillbench erp tryton init SCENARIO"):
        load_database(tmp_path)


def test_unreachable_postgresql_names_the_url(tmp_path: Path, tryton_spec: dict[str, Any]) -> None:
    url = "postgresql://someone:secret@127.0.0.1:1/tillbench_nowhere"
    with pytest.raises(ErpError) as caught:
        init_database(tryton_spec, workdir=tmp_path, db_url=url)
    message = str(caught.value)
    assert "postgresql://someone:***@127.0.0.1:1/ is unreachable" in message
    assert "secret" not in message
    assert "scripts/pg-test-db" in message


def test_malformed_postgresql_url(tmp_path: Path, tryton_spec: dict[str, Any]) -> None:
    with pytest.raises(ErpError, match="expected postgresql://user:password@host:port/dbname"):
        init_database(tryton_spec, workdir=tmp_path, db_url="postgresql://u@h:5432/")
