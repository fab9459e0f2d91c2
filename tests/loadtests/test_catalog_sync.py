"""`loadtests/catalog_sync.py` against an empty POS catalogue: creates, then re-prices."""

from __future__ import annotations

from pathlib import Path

import httpx

import scenarios
from simulator import build_world
from tests.loadtests.support import locust_settings, mocks
from tillbench.load.locust import locustfile, run_locust
from tillbench.load.stats import AGGREGATED, read_stats


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
    # one write per sync, more on conflict; the run's end may cut each user between the two
    assert stats["pos:catalog-upsert"].requests >= searches - 4
    assert stats["pos:catalog-object"].requests > 0, "known items are read and re-priced"
    created = {o["item_variation_data"]["sku"] for o in listed.get("objects") or []}
    assert created, "unknown SKUs are created"
    assert created <= set(build_world(few, seed=None).catalog.sku_ids)
    assert stats[AGGREGATED].failures == 0, "a version conflict is retried, not a failure"
