"""`run_locust`: one master and two workers on loopback; the Locust files by name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.loadtests.support import locust_settings, mocks
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.stats import read_stats


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with mocks(tmp_path_factory.mktemp("mocks")) as (found, _scenario):
        yield found


@pytest.mark.slow
def test_one_master_and_two_workers_on_loopback(servers: Any, tmp_path: Path) -> None:
    result = run_locust(
        locustfile("erp_direct"),
        host=servers.erp_base,
        out_dir=tmp_path,
        settings={
            **locust_settings(servers),
            "TILLBENCH_SHAPE": "soak",
            "TILLBENCH_RATE": "12",
            "TILLBENCH_DURATION": "8",
        },
        workers=2,
        user_classes=("ErpPosting",),
        timeout_s=90,
    )
    log = result.log.read_text()
    assert result.returncode == 0, log[-2000:]
    assert "2 workers connected" in log
    assert "to 2 ready workers" in log
    stats = read_stats(result.stats_csv)
    assert stats["erp:salesInvoices"].failures == 0, "a duplicate invoice: ids not unique"
    assert 30 <= stats["erp:salesInvoices"].requests <= 120, (
        "12/s offered for 8 s (spawning on a busy machine takes a few)"
    )


def test_unknown_locustfile_lists_the_known_ones() -> None:
    from tillbench.load import LoadError

    with pytest.raises(
        LoadError, match=r"choose one of \['catalog_sync', 'erp_direct', 'pos_registers'\]"
    ):
        locustfile("nope")
