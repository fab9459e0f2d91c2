"""The request journal as a run table (Parquet)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
from fastapi.testclient import TestClient

from mocks.core import export_journal
from tests.mocks.core.support import API


def test_journal_exports_to_parquet(client: TestClient, tmp_path: Path) -> None:
    client.post("/notes", json={"text": "a"}, headers=API)
    client.post("/notes", json={"text": "b"}, headers=API)
    ctx = client.app.state.mock
    ctx.journal.flush()
    out = tmp_path / "run" / "erp_journal.parquet"
    assert export_journal(ctx.db, out) == 2
    table = pq.read_table(out)
    assert table.column("status").to_pylist() == [201, 201]
    assert table.schema.field("ts").type.tz == "UTC"
