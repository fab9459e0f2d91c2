"""Short headless Locust runs against the mocks: request names, offered rate, workers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from loadtest_support import locust_settings, mocks

import scenarios
from simulator import build_world
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.stats import AGGREGATED, read_stats


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with mocks(tmp_path_factory.mktemp("mocks")) as (found, _scenario):
        yield found


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


def test_catalog_sync_creates_then_reprices_pos_items(tmp_path: Path) -> None:
    few = scenarios.override(scenarios.load("demo"), {"catalog.skus": 6})
    few_skus = tmp_path / "few-skus.yaml"
    few_skus.write_text(scenarios.dump(few))
    with mocks(tmp_path / "mocks", seed_pos=False) as (empty_pos, _scenario):
        result = run_locust(
            locustfile("catalog_sync"),
            host=empty_pos.pos_url,
            out_dir=tmp_path,
            settings={
                **locust_settings(empty_pos),
                "TILLBENCH_USER_RATE": "5",
                "TILLBENCH_SCENARIO": str(few_skus),
            },
            users=4,
            spawn_rate=100,
            run_time_s=3,
            timeout_s=60,
        )
        listed = httpx.get(
            f"{empty_pos.pos_url}/v2/catalog/list",
            params={"types": "ITEM_VARIATION"},
            headers={"Authorization": f"Bearer {empty_pos.credentials.harness}"},
        ).json()
    assert result.returncode == 0, result.log.read_text()[-2000:]
    stats = read_stats(result.stats_csv)
    searches = stats["pos:catalog-search"].requests
    assert searches > 6, "more syncs than SKUs: some SKUs synced twice"
    assert stats["pos:catalog-upsert"].requests >= searches, "one write per sync, more on conflict"
    assert stats["pos:catalog-object"].requests > 0, "known items are read and re-priced"
    created = {o["item_variation_data"]["sku"] for o in listed.get("objects") or []}
    assert created, "unknown SKUs are created"
    assert created <= set(build_world(few, seed=None).catalog.sku_ids)
    assert stats[AGGREGATED].failures == 0, "a version conflict is retried, not a failure"


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
