"""create_mock_app: the settings' fault timeline runs on the run's clock."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.core.support import API, toy_app, toy_settings
from tests.mocks.support import FakeClock


def test_timeline_fault_from_settings_applies_in_its_window(tmp_path: Path) -> None:
    settings = toy_settings(
        tmp_path,
        start="2026-11-27T07:00:00",
        speed=3600.0,
        faults=[
            {"at": "07:00", "for": "1h", "target": "toy", "kind": "error", "status": 504},
            {"at": "07:00", "target": "erp", "kind": "error", "status": 500},
        ],
    )
    clock = FakeClock()
    with TestClient(toy_app(settings, now=clock)) as c:
        assert c.get("/notes/1", headers=API).status_code == 504
        clock.advance(1.05)
        assert c.get("/notes/1", headers=API).status_code == 404
