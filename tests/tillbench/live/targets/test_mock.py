"""`MockPos` and `MockErp`: what goes through the mock engines' own doors, the same for
every dialect — checked against scripted answers, without a server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

from tests.tillbench.support import served
from tillbench.live import HarnessError, UsageError
from tillbench.live.mocks import ADMIN_TOKEN, Credentials, MockProcess
from tillbench.live.targets import TargetOptions, TargetRun
from tillbench.live.targets.bc import BcErp
from tillbench.live.targets.square import SquarePos


class _Server(MockProcess):
    """A mock process that is not one: answers from ``httpx`` handlers; its journal fails
    when ``journal_error`` is set."""

    def __init__(self, journal_error: BaseException | None = None) -> None:
        super().__init__(proc=None, port=8101, db="sqlite:///x")  # type: ignore[arg-type]
        self.journal_error = journal_error

    def fetch_journal(self, directory: Path) -> None:
        if self.journal_error is not None:
            raise self.journal_error


def _pos(server: MockProcess, tmp_path: Path) -> SquarePos:
    pos = SquarePos(TargetOptions())
    pos._server = server
    pos._run = TargetRun(
        scenario=None, run_dir=tmp_path, speed=60.0, credentials=Credentials("conn", "tb")
    )
    return pos


def test_a_mock_erp_takes_no_erp_database() -> None:
    with pytest.raises(UsageError) as info:
        BcErp(TargetOptions(erp_db_url="postgresql://u@127.0.0.1/"))
    assert str(info.value) == (
        "--erp-db is the database of a real ERP: use it with --erp tryton (the mock ERP's "
        "database is --db)"
    )


def test_a_dialect_the_mocks_do_not_speak_is_a_usage_error() -> None:
    class Nowhere(SquarePos):
        name = "nowhere"

    with pytest.raises(UsageError, match="not a POS dialect of the mocks, got 'nowhere'"):
        Nowhere(TargetOptions())


def test_a_target_used_before_its_start_says_so() -> None:
    with pytest.raises(HarnessError, match=r"the mock pos \(square\) was not started"):
        _ = SquarePos(TargetOptions()).url


def test_the_webhook_log_is_paged_and_each_outcome_names_its_fault(tmp_path: Path) -> None:
    pages: dict[int, tuple[list[dict[str, Any]], int]] = {
        0: (
            [
                {"event_id": "e1", "outcome": "delivered", "status_code": 200},
                {"event_id": "e2", "outcome": "duplicate", "status_code": 200},
            ],
            2,
        ),
        2: (
            [
                {"event_id": "e3", "outcome": "dropped", "sent_at": "2026-11-29T10:00:00Z"},
                {"event_id": "e4", "outcome": "held", "status_code": 200},
            ],
            4,
        ),
        4: ([], 4),
    }

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/admin/pos/webhooks/deliveries"
        assert request.headers["Authorization"] == f"Bearer {ADMIN_TOKEN}"
        rows, next_id = pages[int(request.url.params["since_id"])]
        return httpx.Response(200, json={"rows": rows, "next_since_id": next_id})

    with served(handler):
        count = _pos(_Server(), tmp_path)._webhooks(tmp_path)

    rows = pq.read_table(tmp_path / "pos/webhooks.parquet").to_pylist()
    assert count == 4
    assert [(r["event_id"], r["fault"]) for r in rows] == [
        ("e1", None),
        ("e2", "duplicate"),
        ("e3", "drop"),
        ("e4", "reorder"),
    ]
    assert rows[2]["status"] == 0
    assert rows[2]["sent_wall"] == pytest.approx(1_795_946_400.0)


def test_collection_waits_for_the_journal_and_fails_with_it(tmp_path: Path) -> None:
    pos = _pos(_Server(journal_error=HarnessError("journal lost")), tmp_path)

    with pytest.raises(HarnessError, match="journal lost"):
        pos._collect_with_journal(tmp_path, lambda: {"pos/orders": 1})
    assert _pos(_Server(), tmp_path)._collect_with_journal(tmp_path, lambda: {"x": 1}) == {"x": 1}
