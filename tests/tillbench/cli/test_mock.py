import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(
    ("which", "path"), [("pos", "/v2/locations"), ("erp", "/api/v2.0/companies")]
)
def test_mock_serves_its_dialect_on_loopback(tmp_path: Path, which: str, path: str) -> None:
    port = _free_port()
    db = f"sqlite:///{tmp_path / 'mock.sqlite3'}"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tillbench",
            "mock",
            which,
            "--port",
            str(port),
            "--db",
            db,
            "--scenario",
            "demo",
            "--token",
            "secret-1",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}{path}",
                    headers={"Authorization": "Bearer secret-1"},
                    timeout=2,
                )
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "the mock did not start within 30 s"
                time.sleep(0.2)
        assert response.status_code == 200
        unauthorised = httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2)
        assert unauthorised.status_code == 401
        assert httpx.get(f"http://127.0.0.1:{port}/openapi.json", timeout=2).status_code == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=15)


def test_several_workers_need_a_shared_database() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tillbench", "mock", "erp", "--workers", "2"],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "--workers 2" in proc.stderr
    assert "postgresql://" in proc.stderr


def test_mock_never_prints_the_database_password() -> None:
    closed = _free_port()  # nothing listens there: the mock cannot start
    url = f"postgresql://till:s3cret-pw@127.0.0.1:{closed}/bench?password=q5ecret&sslmode=disable"
    argv = ["mock", "erp", "--port", str(_free_port()), "--db", url]
    done = subprocess.run(
        [sys.executable, "-m", "tillbench", *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2, done.stderr
    assert "s3cret-pw" not in done.stdout + done.stderr
    assert "q5ecret" not in done.stdout + done.stderr
    first, second = done.stderr.splitlines()
    assert f"db postgresql://till:***@127.0.0.1:{closed}/bench?password=***&sslmode" in first
    assert second.startswith("tillbench mock erp: cannot start: ")


@pytest.mark.parametrize("which", ["pos", "erp"])
def test_mock_help_shows_the_default_port_and_tokens(which: str) -> None:
    from typer.testing import CliRunner

    from mocks.core import CoreSettings
    from tillbench.cli import app
    from tillbench.cli._mock import DEFAULT_ADMIN_TOKEN, DEFAULT_TOKEN

    assert DEFAULT_TOKEN in CoreSettings().api_tokens
    assert CoreSettings().admin_token == DEFAULT_ADMIN_TOKEN
    result = CliRunner().invoke(app, ["mock", which, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    flat = " ".join(result.output.split())
    assert "[default: (8101 pos, 8102 erp)]" in flat
    assert "[default: (tillbench-token)]" in flat
    assert "[default: tillbench-admin]" in flat


def test_erp_tryton_start_help_shows_its_default_port() -> None:
    from typer.testing import CliRunner

    from tillbench.cli import app

    result = CliRunner().invoke(app, ["erp", "tryton", "start", "-h"], env={"COLUMNS": "200"})
    assert "[default: (a free one)]" in " ".join(result.output.split())
