"""Runtime faults reach every worker through the database within the sync interval."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.core.support import ADMIN, API, toy_app, toy_settings
from tests.mocks.support import FakeClock


def test_faults_are_shared_between_workers_through_the_database(tmp_path: Path) -> None:
    settings = toy_settings(tmp_path, fault_sync_interval=0.05)
    clock = FakeClock()
    with (
        TestClient(toy_app(settings, now=clock)) as one,
        TestClient(toy_app(settings, now=clock)) as two,
    ):
        one.post("/admin/faults", json={"kind": "error", "status": 503}, headers=ADMIN)
        assert two.get("/notes/1", headers=API).status_code == 404
        clock.advance(0.06)
        assert two.get("/notes/1", headers=API).status_code == 503
