"""`tillbench simulate --sweep`: parsing, the grid, process and Dask executors, the answer."""

from __future__ import annotations

import concurrent.futures as cf
import json

import pyarrow.parquet as pq
import pytest

import scenarios
from tillbench.sweep import (
    NOT_APPLICABLE,
    SweepError,
    breakeven,
    find_boundary,
    grid,
    parse_sweeps,
    run_sweep,
)

TINY = {
    "chain.stores": 2,
    "catalog.skus": 200,
    "duration": "1h",
}


def _tiny():
    return scenarios.load("demo").with_overrides(**TINY)


def test_parse_sweeps_reads_yaml_scalars():
    assert parse_sweeps(["erp.concurrency=2, 5", "integration.interval=1m,15m"]) == {
        "erp.concurrency": [2, 5],
        "integration.interval": ["1m", "15m"],
    }


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ("erp.concurrency", "expected KEY=V1,V2,…"),
        ("=1,2", "expected KEY=V1,V2,…"),
        ("erp.concurrency=", "expected KEY=V1,V2,…"),
    ],
)
def test_parse_sweeps_rejects_malformed_options(item, message):
    with pytest.raises(SweepError, match=message):
        parse_sweeps([item])


def test_a_key_swept_twice_is_an_error():
    with pytest.raises(SweepError, match=r"erp\.concurrency is swept twice"):
        parse_sweeps(["erp.concurrency=1", "erp.concurrency=2"])


def test_grid_is_the_cartesian_product_first_key_slowest():
    assert grid({"a": [1, 2], "b": ["x", "y", "z"]}) == [
        {"a": 1, "b": "x"},
        {"a": 1, "b": "y"},
        {"a": 1, "b": "z"},
        {"a": 2, "b": "x"},
        {"a": 2, "b": "y"},
        {"a": 2, "b": "z"},
    ]


def test_real_time_has_no_interval_so_it_is_simulated_once():
    points = grid(
        {"integration.mode": ["realtime", "batch"], "integration.interval": ["5m", "15m", "1h"]}
    )
    assert points == [
        {"integration.mode": "realtime", "integration.interval": NOT_APPLICABLE},
        {"integration.mode": "batch", "integration.interval": "5m"},
        {"integration.mode": "batch", "integration.interval": "15m"},
        {"integration.mode": "batch", "integration.interval": "1h"},
    ]


def test_a_bad_value_fails_before_anything_runs(tmp_path):
    with pytest.raises(scenarios.ScenarioError, match=r"erp\.concurrency"):
        run_sweep(_tiny(), {"erp.concurrency": [2, 0]}, out=tmp_path)
    assert not list(tmp_path.iterdir())


def _check(result, keys):
    rows = pq.read_table(result.sweep_dir / "sweep.parquet").to_pylist()
    assert len(rows) == 4
    assert {tuple(r[k] for k in keys) for r in rows} == {
        (a, b) for a in ("realtime", "batch") for b in ("1", "5")
    }
    for row in rows:
        run_dir = result.sweep_dir / row["run_dir"]
        figures = json.loads((run_dir / "capacity.json").read_text())
        assert figures["sync_latency_s"]["p95"] == row["sync_p95_s"]
        assert figures["mode"] == row["integration.mode"]
    by_mode = {r["integration.mode"]: r for r in rows if r["erp.concurrency"] == "5"}
    assert by_mode["batch"]["api_calls_per_sale"] < by_mode["realtime"]["api_calls_per_sale"] / 5
    assert by_mode["batch"]["sync_p95_s"] > by_mode["realtime"]["sync_p95_s"]
    assert len(result.comparison) == 2
    document = json.loads((result.sweep_dir / "sweep.json").read_text())
    assert document["comparison"] == result.comparison
    # every point judged, the binding constraint named, one decision, a report
    names = [o["name"] for o in document["objectives"]]
    assert names == ["sync_latency_p95", "converge_within", "missing"]
    for row in rows:
        assert row["meets_all"] == all(row[f"meets_{n}"] for n in names)
        assert row["binding"]
        assert 0 <= row["peak_drift_pct"] <= 100
    decision = document["decision"]
    assert decision["answer"].startswith("answer: ")
    assert result.exit_code == (0 if decision["chosen"] is not None else 1)
    if decision["chosen"] is not None:
        assert rows[decision["chosen"]]["meets_all"]
    page = (result.sweep_dir / "report.html").read_text()
    assert page.index(decision["answer"]) < page.index("<svg")
    assert (result.sweep_dir / "charts" / "sweep-decision.svg").is_file()


SWEEP = {"integration.mode": ["realtime", "batch"], "erp.concurrency": [1, 5]}


def test_a_2x2_sweep_runs_in_local_processes_and_shares_the_traffic(tmp_path):
    with cf.ProcessPoolExecutor(max_workers=2) as pool:
        result = run_sweep(_tiny(), SWEEP, out=tmp_path, executor=pool)
    _check(result, list(SWEEP))
    shared = result.sweep_dir / "traffic" / "truth"
    assert shared.is_dir()
    for row in result.rows:
        assert (result.sweep_dir / row["run_dir"] / "truth").resolve() == shared.resolve()


def test_a_2x2_sweep_runs_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
    ):
        result = run_sweep(_tiny(), SWEEP, out=tmp_path, dask_scheduler=cluster.scheduler_address)
    _check(result, list(SWEEP))


def test_sweeping_a_traffic_field_simulates_traffic_per_point(tmp_path):
    with cf.ThreadPoolExecutor(max_workers=1) as pool:
        result = run_sweep(_tiny(), {"chain.stores": [1, 2]}, out=tmp_path, executor=pool)
    assert not (result.sweep_dir / "traffic").exists()
    docs = [r["requests"] for r in result.rows]
    assert docs[0] < docs[1]
    assert result.comparison == []


def test_breakeven_prices_the_calls_batching_saves():
    rows = [
        {
            "integration.mode": "realtime",
            "integration.interval": "5m",
            "api_calls_per_sale": 1.0,
            "sync_p95_s": 2.0,
        },
        {
            "integration.mode": "batch",
            "integration.interval": "5m",
            "api_calls_per_sale": 0.01,
            "sync_p95_s": 301.0,
        },
        {
            "integration.mode": "batch",
            "integration.interval": "15m",
            "api_calls_per_sale": 0.005,
            "sync_p95_s": 901.0,
        },
    ]
    out = breakeven(rows, ["integration.mode", "integration.interval"])
    assert [o["integration.interval"] for o in out] == ["5m", "15m"]
    assert out[0]["calls_saved_factor"] == pytest.approx(100.0)
    assert out[0]["seconds_per_call_saved"] == pytest.approx(299.0 / 0.99)
    assert not any(o["breaks_even"] for o in out)


def test_find_bisects_to_the_smallest_capacity_that_meets_every_objective(tmp_path):
    scenario = _tiny().with_overrides(
        faults=[], **{"erp.latency.median": "2s", "erp.latency.p99": "4s"}
    )
    result = find_boundary(
        scenario, "erp.concurrency", 1, 16, out=tmp_path, asked={"p95": "10s"}, report=False
    )
    values = [int(r["erp.concurrency"]) for r in result.rows]
    assert values == sorted(values)
    assert values[-1] == 16
    assert len(values) <= 6  # 16, then bisection over 1..16
    assert result.decision is not None
    chosen = result.decision.chosen
    if chosen is None:
        assert not any(r["meets_all"] for r in result.rows)
    else:
        best = values[chosen]
        assert result.rows[chosen]["meets_all"]
        assert all(not r["meets_all"] for r in result.rows if int(r["erp.concurrency"]) < best)
        assert best == 1 or (best - 1) in values  # the boundary was probed on both sides


@pytest.mark.parametrize(
    ("key", "low", "high", "message"),
    [
        ("integration.interval", 1, 5, "bisection searches an ERP capacity field"),
        ("erp.concurrency", 9, 5, "--min 9 is above --max 5"),
    ],
)
def test_find_refuses_what_it_cannot_search(tmp_path, key, low, high, message):
    with pytest.raises(SweepError, match=message):
        find_boundary(_tiny(), key, low, high, out=tmp_path)
