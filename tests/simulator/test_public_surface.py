"""The public surface of the simulator package."""

from __future__ import annotations

from pathlib import Path

import simulator


def test_exports() -> None:
    assert sorted(simulator.__all__) == sorted(
        [
            "LaneStats",
            "Params",
            "PosEvent",
            "ScenarioUnsupported",
            "SimulatorError",
            "TrafficSummary",
            "World",
            "build_world",
            "erlang_c_wait",
            "iter_events",
            "simulate_traffic",
        ]
    )
    for name in simulator.__all__:
        assert getattr(simulator, name) is not None


def test_summary_to_dict_is_json_ready(tmp_path: Path) -> None:
    import json

    from tests.simulator.support import small_scenario

    summary = simulator.simulate_traffic(
        small_scenario(**{"duration": "1d", "chain.stores": 2}), tmp_path
    )
    data = json.loads(json.dumps(summary.to_dict()))

    assert data["transactions"] == summary.transactions > 0
    assert (
        sum(data["revenue_by_store"].values())
        == data["revenue_minor"]
        == sum(data["revenue_by_hour"])
    )
    assert set(data["queues"]) == {"staffed", "self_checkout"}
    assert data["queues"]["staffed"]["p95_wait_s"] >= data["queues"]["staffed"]["p50_wait_s"]
