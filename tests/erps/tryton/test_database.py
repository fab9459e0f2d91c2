"""Initialised databases: cached by spec, loaded from a work directory, PostgreSQL URLs."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from erps.tryton import ErpError, TrytonDatabase, init_database, load_database


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
