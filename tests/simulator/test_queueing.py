"""Checkout queues: SimPy equivalence, Erlang C, Little's law."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchmarks.naive_simpy import simpy_fifo_waits
from simulator import Params, erlang_c_wait
from simulator.queueing import fifo_servers, new_servers, queue_lengths
from simulator.traffic import simulate_params
from tests.simulator.support import Run, small_scenario


def _poisson_stream(
    seed: int, n: int, lam: float, mean_service: float
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    arrivals = np.cumsum(rng.exponential(1 / lam, n))
    return arrivals, rng.exponential(mean_service, n)


@pytest.mark.parametrize("servers", [1, 3, 8])
def test_fast_queue_equals_simpy_resource_exactly(servers: int) -> None:
    arrivals, services = _poisson_stream(servers, 3000, lam=0.9 * servers / 30, mean_service=30)

    fast_start, fast_end, _ = fifo_servers(arrivals, services, new_servers(servers))
    simpy_start, simpy_end = simpy_fifo_waits(arrivals, services, servers)

    assert np.array_equal(fast_start, simpy_start)
    assert np.array_equal(fast_end, simpy_end)
    assert (fast_start > arrivals).sum() > 100  # the queue really queued


def test_recorded_store_queue_replays_in_simpy(rich_run: Run) -> None:
    q = rich_run.table("queue")
    mask = pc.and_(
        pc.equal(q["store_id"].cast("string"), "S0001"),
        pc.equal(q["lane"].cast("string"), "staffed"),
    )
    lane = q.filter(mask).sort_by("arrival_t")
    arrivals = lane["arrival_t"].to_numpy()
    services = lane["end_t"].to_numpy() - lane["start_t"].to_numpy()
    registers = len(set(lane["register_id"].to_pylist()))

    starts, _ = simpy_fifo_waits(arrivals, services, registers)

    assert np.allclose(starts, lane["start_t"].to_numpy(), rtol=0, atol=1e-6)


def test_erlang_c_formula_known_value() -> None:
    # M/M/1: Wq = rho / (mu - lam); M/M/2 with a = 1: C = 1/3, Wq = C / (2 mu - lam)
    assert erlang_c_wait(0.5, 1.0, 1) == pytest.approx(1.0)
    assert erlang_c_wait(1.0, 1.0, 2) == pytest.approx((1 / 3) / 1.0)
    with pytest.raises(ValueError, match="lam/mu < c"):
        erlang_c_wait(3.0, 1.0, 2)


def test_fast_queue_mean_wait_matches_erlang_c() -> None:
    lam, mean_service, c = 0.1, 25.0, 3
    arrivals, services = _poisson_stream(7, 400_000, lam, mean_service)

    starts, _, _ = fifo_servers(arrivals, services, new_servers(c))

    expected = erlang_c_wait(lam, 1 / mean_service, c)
    assert (starts - arrivals).mean() == pytest.approx(expected, rel=0.04)


def _mmc_params(duration: str) -> Params:
    """One store, three registers, flat Poisson arrivals, exponential service: M/M/3."""
    scenario = small_scenario(
        **{
            "duration": duration,
            "chain.stores": 1,
            "chain.registers": 3,
            "chain.self_checkouts": 0,
            "chain.size_spread": 0.0,
            "chain.hours": "00:00-24:00",
            "traffic.profile": "flat",
            "traffic.weekday": [1 / 7] * 7,
            "traffic.customers_per_store_day": 8000,
            "basket.service.fixed": "24s",
            "basket.service.per_item": "0s",
            "basket.service.distribution": "exponential",
            "inventory.days_of_cover": 400,
            "inventory.replenishment.target_days": 400,
            "inventory.replenishment.reorder_days": 200,
            "catalog.skus": 200,
        }
    )
    return Params.from_scenario(scenario)


def _check_mmc(params: Params, out: Path, rel: float) -> None:
    summary = simulate_params(params, out)
    q = pq.read_table(out / "truth" / "queue.parquet")
    waits = q["wait_s"].to_numpy()
    lam = q.num_rows / params.duration_s
    expected = erlang_c_wait(lam, 1 / params.service_fixed_s, params.registers)

    assert summary.queues["staffed"].customers == q.num_rows
    assert waits.mean() == pytest.approx(expected, rel=rel)
    # Little's law on the line; by PASTA the length seen on arrival averages L
    assert q["queue_length"].to_numpy().mean() == pytest.approx(lam * waits.mean(), rel=rel)


def test_simulated_register_queue_matches_erlang_c(tmp_path: Path) -> None:
    _check_mmc(_mmc_params("60d"), tmp_path, rel=0.04)  # ~480k customers


@pytest.mark.slow
def test_simulated_register_queue_matches_erlang_c_long_run(tmp_path: Path) -> None:
    _check_mmc(_mmc_params("250d"), tmp_path, rel=0.02)


def test_queue_lengths_count_waiting_customers() -> None:
    arrivals = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
    starts = np.array([0.0, 5.0, 6.0, 7.0, 10.0])

    assert queue_lengths(arrivals, starts).tolist() == [0, 0, 1, 2, 0]


@pytest.mark.parametrize(("registers", "self_checkouts"), [(0, 2), (2, 0)])
def test_stores_with_one_kind_of_lane_serve_everyone(
    tmp_path: Path, registers: int, self_checkouts: int
) -> None:
    scenario = small_scenario(
        **{
            "duration": "1d",
            "chain.stores": 2,
            "chain.registers": registers,
            "chain.self_checkouts": self_checkouts,
        }
    )

    summary = simulate_params(Params.from_scenario(scenario), tmp_path)

    q = pq.read_table(tmp_path / "truth" / "queue.parquet")
    only = "self_checkout" if registers == 0 else "staffed"
    assert set(q["lane"].cast("string").to_pylist()) == {only}
    assert summary.returns > 0
    assert q.num_rows == summary.transactions + summary.returns + summary.cancels
