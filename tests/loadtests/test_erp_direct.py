"""`loadtests/erp_direct.py` run headless against the mock ERP: its request names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.loadtests.support import locust_settings
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.stats import AGGREGATED, read_stats


def test_direct_erp_posting_names_its_requests(servers: Any, tmp_path: Path) -> None:
    result = run_locust(
        locustfile("erp_direct"),
        host=servers.erp_base,
        out_dir=tmp_path,
        settings=locust_settings(servers),
        users=10,
        spawn_rate=100,
        run_time_s=3,
        timeout_s=60,
    )
    assert result.returncode == 0, result.log.read_text()[-2000:]
    stats = read_stats(result.stats_csv)
    assert set(stats) == {"erp:salesInvoices", "erp:stock", AGGREGATED}
    assert stats["erp:salesInvoices"].requests > stats["erp:stock"].requests > 0
    assert stats[AGGREGATED].failures == 0
