"""`loadtests/pos_registers.py` run headless against the mocks: request names, offered rate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.loadtests.support import locust_settings
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.stats import AGGREGATED, read_stats


def test_registers_send_the_simulated_sales_at_the_offered_rate(
    servers: Any, tmp_path: Path
) -> None:
    result = run_locust(
        locustfile("pos_registers"),
        host=servers.pos_url,
        out_dir=tmp_path,
        settings={
            **locust_settings(servers),
            "TILLBENCH_SHAPE": "soak",
            "TILLBENCH_RATE": "10",
            "TILLBENCH_USER_RATE": "2",
            "TILLBENCH_DURATION": "4",
        },
        timeout_s=60,
    )
    assert result.returncode == 0, result.log.read_text()[-2000:]
    stats = read_stats(result.stats_csv)
    assert {"pos:sale", "pos:counts", "pos:catalog-list"} <= set(stats)
    assert set(stats) <= {
        "pos:sale",
        "pos:return",
        "pos:cancel",
        "pos:post_void",
        "pos:counts",
        "pos:catalog-list",
        AGGREGATED,
    }
    assert stats["pos:counts"].requests > 0
    assert stats[AGGREGATED].failures == 0, "pos:counts got no counts: ids are not variation ids"
    placed = stats[AGGREGATED].requests - stats["pos:catalog-list"].requests
    assert 20 <= placed <= 50, "10 req/s offered for 4 s (a loaded machine places fewer)"
    assert result.history_csv.is_file()
    assert result.html.is_file()
