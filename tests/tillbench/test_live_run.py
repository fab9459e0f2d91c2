"""A short live run over real loopback HTTP: tables, driver lag, offline burst, faults on
time, the user's script connector through the contract, and no orphan processes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from live_support import processes_mentioning, script_connector, tiny_scenario

from tillbench.live import LIVE_TABLES, LiveRun, resolve_connector, run_live

DOCUMENTED = {
    "driver/sent": "txn_id kind store_id due_t due_wall sent_wall acked_wall lag_s status "
    "offline attempts",
    "faults": "id target kind start_t end_t start_wall end_wall params",
    "pos/webhooks": "event_id event_type attempt status sent_wall latency_ms fault",
    "pos/orders": "order_id reference_id location_id state total_minor tax_minor note updated_at",
    "erp/documents": "document_id kind external_document_number store_id status total_minor "
    "tax_minor currency created_wall committed_t",
    "erp/document_lines": "document_id line_no sku quantity unit_price_minor discount_minor "
    "tax_minor description",
    "erp/customers": "id name email",
    "erp/items": "sku unit_price_minor",
    "pos/catalog": "sku price_minor",
    "samples/stock": "sample_id t wall store_id sku pos_qty erp_qty",
    "samples/connector": "t wall backlog posted retries dead_letters",
    "samples/prices": "sku kind unit_price_minor erp_t erp_wall pos_t pos_wall",
}


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> LiveRun:
    tmp = tmp_path_factory.mktemp("live")
    scenario = tiny_scenario(tmp)
    spec = resolve_connector(script_connector(), None)
    return run_live(scenario, connector=spec, out=tmp / "runs")


def table(run: LiveRun, name: str) -> list[dict[str, object]]:
    return pq.read_table(run.run_dir / f"{name}.parquet").to_pylist()


def test_every_table_is_written_with_the_documented_columns(live: LiveRun) -> None:
    for name, columns in DOCUMENTED.items():
        schema = pq.read_schema(live.run_dir / f"{name}.parquet")
        assert set(columns.split()) <= set(schema.names), name
        assert schema.names == LIVE_TABLES[name].names
    for name in ("pos/journal", "erp/journal", "truth/transactions"):
        assert (live.run_dir / f"{name}.parquet").stat().st_size > 0
    run = json.loads((live.run_dir / "run.json").read_text())
    for key in (
        "run_id",
        "connector",
        "speed",
        "wall_origin",
        "sim_start",
        "traffic_end_t",
        "quiesce_end_t",
        "urls",
        "versions",
    ):
        assert key in run, key
    assert run["traffic_end_t"] >= 15 * 60 * 0.99
    assert run["quiesce_end_t"] >= run["traffic_end_t"]


def test_every_transaction_is_sent_once_and_accepted(live: LiveRun) -> None:
    sent = table(live, "driver/sent")
    truth = pq.read_table(live.run_dir / "truth/transactions.parquet").column("txn_id").to_pylist()
    assert sorted(r["txn_id"] for r in sent) == sorted(truth)
    assert all(r["status"] == 200 for r in sent)
    orders = {r["reference_id"] for r in table(live, "pos/orders")}
    assert set(truth) <= orders


def test_driver_keeps_its_schedule(live: LiveRun) -> None:
    """Small lags; the bounds leave room for two cores shared by four busy processes."""
    lags = sorted(r["lag_s"] for r in table(live, "driver/sent") if not r["offline"])
    assert lags[0] >= -0.005
    assert lags[len(lags) // 2] < 0.02, lags
    assert lags[int(0.95 * (len(lags) - 1))] < 0.25, lags[-10:]
    assert lags[-1] < 1.0, lags[-10:]


def test_offline_store_uploads_a_burst_after_the_window_with_original_times(
    live: LiveRun,
) -> None:
    faults = {r["id"]: r for r in table(live, "faults")}
    window = faults["f1"]
    assert window["target"] == "store:1"
    sent = table(live, "driver/sent")
    buffered = [r for r in sent if r["offline"]]
    expected = [
        r for r in sent
        if r["store_id"] == "S0001" and window["start_t"] <= r["due_t"] < window["end_t"]
    ]  # fmt: skip
    assert buffered
    assert sorted(r["txn_id"] for r in buffered) == sorted(r["txn_id"] for r in expected)
    sent_walls = [r["sent_wall"] for r in buffered]
    assert min(sent_walls) >= window["end_wall"] - 0.005
    assert max(sent_walls) - min(sent_walls) < 0.5
    start = dt.datetime.fromisoformat(
        json.loads((live.run_dir / "run.json").read_text())["sim_start"]
    )
    orders = {r["reference_id"]: r for r in table(live, "pos/orders")}
    zone = tiny_zone(live)
    for row in buffered:
        created = dt.datetime.fromisoformat(
            str(orders[row["txn_id"]]["created_at"]).replace("Z", "+00:00")
        )
        local = created.astimezone(zone).replace(tzinfo=None)
        assert (local - start).total_seconds() == pytest.approx(row["due_t"], abs=0.01)


def tiny_zone(run: LiveRun) -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(json.loads((run.run_dir / "run.json").read_text())["timezone"])


def test_erp_outage_answers_503_inside_its_window_only(live: LiveRun) -> None:
    outage = {r["id"]: r for r in table(live, "faults")}["f0"]
    assert outage["kind"] == "outage"
    run = json.loads((live.run_dir / "run.json").read_text())
    assert outage["start_wall"] == pytest.approx(
        run["wall_origin"] + outage["start_t"] / run["speed"]
    )
    journal = pq.read_table(live.run_dir / "erp/journal.parquet").to_pylist()
    stamps_503 = [r["ts"].timestamp() for r in journal if r["status"] == 503]
    assert stamps_503, "the sampler polls the ERP during the outage and must see 503s"
    assert all(outage["start_wall"] - 0.01 <= s <= outage["end_wall"] + 0.01 for s in stamps_503)
    assert any(r["status"] == 200 and r["ts"].timestamp() > outage["end_wall"] for r in journal)


def test_duplicate_webhooks_are_decided_inside_their_window_only(live: LiveRun) -> None:
    """The copy goes out after the original; the original was sent inside the window
    (give or take the dispatcher's claim-to-send delay)."""
    window = {r["id"]: r for r in table(live, "faults")}["f3"]
    assert (window["target"], window["kind"]) == ("pos.webhooks", "duplicate")
    webhooks = table(live, "pos/webhooks")
    doubled = {r["event_id"] for r in webhooks if r["fault"] == "duplicate"}
    assert doubled
    first = {}
    for row in sorted(webhooks, key=lambda r: r["sent_wall"]):
        first.setdefault(row["event_id"], row["sent_wall"])
    offsets = sorted(first[e] - window["start_wall"] for e in doubled)
    span = window["end_wall"] - window["start_wall"]
    assert offsets[0] >= -0.01, offsets
    assert offsets[-1] <= span + 0.5, (offsets, span)
    later = [r for r in webhooks if first[r["event_id"]] > window["end_wall"] + 0.5]
    assert later
    assert all(r["fault"] is None for r in later)


def test_script_connector_posts_through_the_contract(live: LiveRun) -> None:
    docs = table(live, "erp/documents")
    txns = {r["txn_id"] for r in table(live, "driver/sent") if r["kind"] == "sale"}
    posted = {r["external_document_number"] for r in docs if r["kind"] == "invoice"}
    assert posted
    assert posted <= txns
    assert all(r["committed_t"] is not None and r["committed_t"] > 0 for r in docs)
    journal = pq.read_table(live.run_dir / "erp/journal.parquet").column("credential").to_pylist()
    assert "connector" in journal
    assert "harness" in journal
    assert (live.run_dir / "connector/env.sh").read_text().count("TILLBENCH_") == 12


def test_stock_samples_cover_every_store_and_sku(live: LiveRun) -> None:
    samples = table(live, "samples/stock")
    first = [r for r in samples if r["sample_id"] == 0]
    assert len({(r["store_id"], r["sku"]) for r in first}) == 2 * 300
    assert all(r["pos_qty"] == r["erp_qty"] for r in first)
    ts = sorted({r["t"] for r in samples})
    assert len(ts) >= 8
    assert table(live, "samples/connector"), "the script connector serves /metrics"


def test_erp_price_changes_are_followed_to_the_pos(live: LiveRun) -> None:
    changes = table(live, "erp/price_changes")
    assert sorted(r["kind"] for r in changes) == ["new_item", "price_change", "price_change",
                                                  "price_change"]  # fmt: skip
    assert all(r["error"] is None for r in changes)
    prices = {r["sku"]: r for r in table(live, "samples/prices")}
    assert set(prices) == {r["sku"] for r in changes}
    for change in changes:
        assert prices[change["sku"]]["erp_t"] == pytest.approx(change["t"], abs=1.0)
    assert all(r["pos_t"] is None for r in prices.values()), "the script connector syncs no price"


def test_no_process_outlives_the_run(live: LiveRun) -> None:
    assert processes_mentioning(str(live.run_dir)) == []
    assert processes_mentioning(f"TILLBENCH_RUN_ID={live.run_dir.name}") == []


def test_connector_outage_kills_and_restarts_the_connector(live: LiveRun) -> None:
    run = json.loads((live.run_dir / "run.json").read_text())
    assert run["connector_restarts"] == 1
    actions = json.loads((live.run_dir / "driver" / "actions.json").read_text())
    (outage,) = [a for a in actions if a["name"] == "connector-outage:f2"]
    assert outage["error"] is None
    assert outage["done_wall"] - outage["started_wall"] >= 60 / run["speed"]
    metrics = table(live, "samples/connector")
    window = {r["id"]: r for r in table(live, "faults")}["f2"]
    inside = [r for r in metrics if window["start_wall"] + 0.05 < r["wall"] < window["end_wall"]]
    assert inside == [], "nobody answers /metrics while the connector is down"


def test_run_directory_is_self_contained(live: LiveRun) -> None:
    assert Path(live.run_dir, "scenario.yaml").exists()
    assert (live.run_dir / "logs" / "mock-pos.log").exists()
    assert (live.run_dir / "connector" / "logs" / "connector.out.log").exists()
