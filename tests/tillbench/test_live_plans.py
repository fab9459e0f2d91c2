"""Who applies each fault, the ERP-side events, the connector's settings and the driver's
transaction JSON — the plans of a live run, checked without servers."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from live_support import tiny_scenario

import scenarios
import simulator
from domain import Return, Sale
from tillbench.live import RunClock
from tillbench.live.connector import connector_settings
from tillbench.live.erp_events import plan_erp_events
from tillbench.live.faults import plan_faults
from tillbench.live.payloads import transaction_payload

MIXED = """\
name: mixed
extends: demo
chain: {stores: 3}
faults:
  - {at: "11:10", for: 5m, target: erp, kind: outage}
  - {at: "11:10", for: 5m, target: pos, kind: errors, rate: 0.2}
  - {at: "11:20", for: 10m, target: pos.webhooks, kind: delay, latency: 60s}
  - {at: "11:20", for: 2m, target: "store:3", kind: offline}
  - {at: "11:40", for: 1m, target: connector, kind: outage}
  - {at: "11:45", for: 1m, target: connector, kind: latency, latency: 1s}
  - {at: "11:50", for: 2m, target: erp, kind: rate_limit, rate: 0.5}
"""


@pytest.fixture
def mixed(tmp_path: Path) -> scenarios.Scenario:
    path = tmp_path / "mixed.yaml"
    path.write_text(MIXED)
    return scenarios.load(str(path))


def test_faults_go_to_whoever_applies_them(mixed: scenarios.Scenario) -> None:
    plan = plan_faults(mixed, speed=60.0)
    assert [(f.id, f.applied_by) for f in plan.faults] == [
        ("f0", "erp"),
        ("f1", "pos"),
        ("f2", "pos"),
        ("f3", "driver"),
        ("f4", "harness"),
        ("f5", "ignored"),
        ("f6", "erp"),
    ]
    assert plan.offline_windows() == {"S0003": [(1200.0, 1320.0)]}
    assert [f.id for f in plan.connector_outages()] == ["f4"]


def test_mock_fault_specs_use_the_mocks_names_and_wall_seconds(
    mixed: scenarios.Scenario,
) -> None:
    plan = {f.id: f for f in plan_faults(mixed, speed=60.0).faults}
    assert plan["f0"].runtime_spec(60.0) == {"target": "erp", "kind": "outage", "for": 5.0}
    errors = plan["f1"].runtime_spec(60.0)
    assert errors == {
        "target": "pos",
        "kind": "error",
        "status": 500,
        "rate": 0.2,
        "for": 5.0,
        "paths": ["/v2/"],
    }
    limited = plan["f6"].runtime_spec(60.0)
    assert limited == {
        "target": "erp",
        "kind": "rate_limit",
        "status": 429,
        "rate": 0.5,
        "for": 2.0,
    }
    delay = plan["f2"].runtime_spec(60.0)
    assert delay["kind"] == "delay"
    assert delay["delay"] == pytest.approx(1.0)
    assert "paths" not in delay


def test_fault_rows_place_the_window_on_the_run_clock(mixed: scenarios.Scenario) -> None:
    clock = RunClock(wall_origin=1_000.0, speed=60.0)
    row = plan_faults(mixed, speed=60.0).faults[0].row(clock)
    assert (row["start_t"], row["end_t"]) == (600.0, 900.0)
    assert (row["start_wall"], row["end_wall"]) == (1_010.0, 1_015.0)
    applied = plan_faults(mixed, speed=60.0).faults[0].row(clock, (1_010.004, 1_015.004))
    assert applied["start_wall"] == 1_010.004


def test_connector_settings_are_in_wall_seconds(mixed: scenarios.Scenario) -> None:
    settings = connector_settings(mixed, speed=60.0)
    assert settings["interval"] == pytest.approx(15.0)
    assert settings["retry"]["base"] == pytest.approx(1 / 60)
    assert settings["retry"]["cap"] == pytest.approx(5.0)
    assert settings["retry"]["attempts"] == 8
    assert settings["mode"] == "realtime"
    assert settings["max_batch"] == 100


def test_erp_events_are_deterministic_and_inside_the_run(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    world = simulator.build_world(sc)
    first = plan_erp_events(sc, world, tmp_path, rng=random.Random("42:erp"))
    again = plan_erp_events(sc, world, tmp_path, rng=random.Random("42:erp"))
    assert first == again
    kinds = sorted(e.kind for e in first)
    assert kinds == ["new_item", "price_change", "price_change", "price_change"]
    duration = sc.duration.total_seconds()
    assert all(0.2 * duration <= e.t <= 0.8 * duration for e in first)
    prices = dict(zip(world.catalog.sku_ids, world.catalog.price_minor.tolist(), strict=True))
    for event in first:
        if event.kind == "price_change":
            assert event.unit_price_minor != prices[event.sku]


def test_driver_json_keeps_document_totals(tmp_path: Path) -> None:
    sc = tiny_scenario(tmp_path)
    checked = 0
    for event in simulator.iter_events(sc):
        body = transaction_payload(event.kind, event.document, zone=sc.zone)
        assert body["txn_id"] == event.txn_id
        assert body["completed_at"].startswith(event.at.isoformat()[:19])
        doc = event.document
        if isinstance(doc, Sale | Return):
            live = [line for line in body["lines"] if not line.get("voided")]
            assert sum(line["tax"] for line in live) == doc.tax_total.minor_units()
            total = sum(line["net"] + line["tax"] for line in live)
            assert total == doc.total.minor_units()
            assert sum(t["amount"] for t in body["tenders"]) == total
            assert all(Decimal(line["quantity"]) > 0 for line in live)
            checked += 1
    assert checked > 20


def test_public_surface_of_the_live_package() -> None:
    import tillbench.live as live

    assert sorted(live.__all__) == sorted(
        [
            "LIVE_TABLES",
            "REFERENCE_CONNECTORS",
            "ConnectorNotHealthy",
            "ConnectorSpec",
            "Driver",
            "HarnessError",
            "LiveError",
            "LiveRun",
            "LiveStatus",
            "RunClock",
            "SentRecord",
            "TimedAction",
            "Txn",
            "UsageError",
            "resolve_connector",
            "run_live",
        ]
    )
    assert all(getattr(live, name) is not None for name in live.__all__)
    assert issubclass(live.ConnectorNotHealthy, live.UsageError)
    assert issubclass(live.UsageError, live.LiveError)
    assert issubclass(live.HarnessError, live.LiveError)
