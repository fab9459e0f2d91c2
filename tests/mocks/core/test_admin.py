"""The admin API: journal paging and bounds, runtime faults, the clock."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.mocks.core.support import ADMIN, API, toy_app, toy_settings
from tests.mocks.support import FakeClock


def test_journal_pages_with_since_id(client: TestClient) -> None:
    for i in range(5):
        client.post("/notes", json={"text": str(i)}, headers=API)
    first = client.get("/admin/journal", params={"limit": 3}, headers=ADMIN).json()
    second = client.get(
        "/admin/journal", params={"since_id": first["next_since_id"]}, headers=ADMIN
    ).json()
    ids = [r["id"] for r in first["rows"] + second["rows"]]
    assert len(ids) == 5
    assert ids == sorted(set(ids))


def test_journal_since_id_is_bounded(client: TestClient) -> None:
    response = client.get("/admin/journal", params={"since_id": 2**63}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["problem"]["field"] == "since_id"


def test_invalid_fault_is_400_naming_the_field(client: TestClient) -> None:
    response = client.post("/admin/faults", json={"kind": "error", "rate": 3}, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["problem"]["field"] == "fault.rate"


def test_remove_unknown_fault_is_404(client: TestClient) -> None:
    assert client.delete("/admin/faults/nope", headers=ADMIN).status_code == 404


def test_clock_reanchors_the_timeline_at_the_wall_clock(tmp_path: Path) -> None:
    clock = FakeClock()
    settings = toy_settings(
        tmp_path,
        start="2026-11-27T07:00:00",
        speed=60.0,
        faults=[{"at": "08:00", "for": "1h", "target": "toy", "kind": "error", "status": 502}],
    )
    with TestClient(toy_app(settings, now=clock)) as c:
        clock.advance(10.0)
        anchored = c.put(
            "/admin/clock", json={"start": "2026-11-27T07:00:00", "speed": 60.0}, headers=ADMIN
        )
        assert anchored.json() == {
            "start": "2026-11-27T07:00:00",
            "speed": 60.0,
            "wall_origin": clock.now,
        }
        faults = c.get("/admin/faults", headers=ADMIN).json()
        assert faults["clock"] == anchored.json()
        (timeline,) = faults["scheduled"]
        assert (timeline["start"], timeline["end"]) == (clock.now + 60.0, clock.now + 120.0)
        assert c.get("/notes/1", headers=API).status_code == 404
        clock.advance(60.0)
        assert c.get("/notes/1", headers=API).status_code == 502
        clock.advance(60.0)
        assert c.get("/notes/1", headers=API).status_code == 404


def test_clock_with_a_bad_speed_is_400(client: TestClient) -> None:
    response = client.put(
        "/admin/clock", json={"start": "2026-11-27T07:00:00", "speed": 0}, headers=ADMIN
    )
    assert response.status_code == 400
    assert response.json()["problem"]["field"] == "speed"
