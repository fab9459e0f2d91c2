"""The mocks of a run on `--db postgresql://…`: one database, one schema per mock; any
other URL is a usage error."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from tests.tillbench.live.support import script_connector, tiny_scenario
from tillbench.live import UsageError, resolve_connector, run_live

PG_URL = os.environ.get(
    "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
)


def _engine() -> sa.Engine:
    return sa.create_engine(sa.engine.make_url(PG_URL).set(drivername="postgresql+psycopg"))


@pytest.fixture
def pg() -> str:
    engine = _engine()
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.OperationalError as exc:
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc.orig}")
    finally:
        engine.dispose()
    return PG_URL


@pytest.mark.slow
def test_live_run_on_postgresql_keeps_each_mock_in_its_own_schema(pg: str, tmp_path: Path) -> None:
    run = run_live(
        tiny_scenario(tmp_path),
        connector=resolve_connector(script_connector(), None),
        out=tmp_path / "runs",
        db_url=pg,
        verify=False,
    )
    databases = json.loads((run.run_dir / "run.json").read_text())["databases"]
    schemas = [url.rsplit("search_path%3D", 1)[1] for url in databases.values()]
    try:
        assert sorted(s[-3:] for s in schemas) == ["erp", "pos"]
        assert "***" in databases["pos"]
        assert run.sent_ok == run.transactions > 0
        assert not (run.run_dir / "pos" / "pos.sqlite3").exists()
        pos_hosts = set(
            pq.read_table(run.run_dir / "pos/journal.parquet").column("path").to_pylist()
        )
        assert not any(p.startswith("/api/") for p in pos_hosts), "journals of the mocks are apart"
    finally:
        engine = _engine()
        with engine.begin() as conn:
            for schema in schemas:
                conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def test_a_database_url_that_is_not_postgresql_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="only postgresql:// URLs are supported"):
        run_live(
            tiny_scenario(tmp_path),
            connector=resolve_connector(script_connector(), None),
            out=tmp_path / "runs",
            db_url="mysql://x@localhost/db",
        )


def test_a_mocks_tokens_and_database_url_are_not_on_its_command_line(tmp_path: Path) -> None:
    """Every user of the machine reads command lines (``ps``); only the owner reads a
    process's environment."""
    from tillbench.live.mocks import Credentials, launch_mocks
    from tillbench.live.processes import ProcessSet

    credentials = Credentials.generate()
    with ProcessSet() as procs:
        servers = launch_mocks(
            procs,
            scenario=tiny_scenario(tmp_path),
            run_dir=tmp_path,
            speed=60.0,
            credentials=credentials,
        ).ready()
        assert servers.pos is not None
        assert servers.erp is not None
        for target in (servers.pos, servers.erp):
            pid = target.server.proc.pid
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode()
            environ = Path(f"/proc/{pid}/environ").read_bytes().decode()
            assert credentials.connector not in cmdline
            assert credentials.harness not in cmdline
            assert "db_url" not in cmdline
            assert credentials.connector in environ, "the settings travel in the environment"
