"""The integration model against queueing theory, the SimPy reference and its own rules."""

from __future__ import annotations

import numpy as np
import pytest

from simulator import erlang_c_wait
from simulator.integration import ModelOptions, fit_batch, poisson_stream, run_fast, run_simpy
from simulator.integration.outcome import CREATE, LOOKUP, POST
from simulator.integration.tables import connector_samples
from tests.simulator.integration.support import QUIET, config

EXPONENTIAL = ModelOptions(workers=None, webhook_median_s=0.0, service="exponential")


def _mean_wait(rate: float, horizon: float, seed: int) -> tuple[float, float]:
    cfg = config(options=EXPONENTIAL, **QUIET, **{"erp.latency.median": "200ms"})
    stream = poisson_stream(rate=rate, horizon_s=horizon, config=cfg, seed=seed)
    out = run_fast(stream, cfg)
    service = out.busy_s / len(out.req_t)
    return float(out.req_latency.mean() - service), erlang_c_wait(rate, 5.0, 5)


def test_mmc_erp_waits_match_erlang_c():
    simulated, theory = _mean_wait(20.0, 10_000.0, seed=3)
    assert simulated == pytest.approx(theory, rel=0.06)


@pytest.mark.slow
def test_mmc_erp_waits_match_erlang_c_closely_on_a_long_run():
    simulated, theory = _mean_wait(20.0, 200_000.0, seed=4)
    assert simulated == pytest.approx(theory, rel=0.02)


def test_littles_law_holds_on_the_backlog():
    cfg = config(**{"erp.latency.median": "300ms", "erp.concurrency": 2})
    stream = poisson_stream(rate=5.0, horizon_s=4_000.0, config=cfg, seed=5)
    out = run_fast(stream, cfg)
    step = 0.05
    grid = np.arange(0.0, out.end_t + step, step)
    backlog = connector_samples(stream, out, grid)["backlog"]
    area = backlog.sum() * step
    sojourn = (out.committed - stream.t).sum()
    assert area == pytest.approx(sojourn, rel=0.01)
    assert backlog.mean() == pytest.approx(len(stream) / grid[-1] * (sojourn / len(stream)), 0.01)


FAULTS = [
    {"at": "00:10", "for": "2m", "target": "erp", "kind": "outage"},
    {"at": "00:20", "for": "5m", "target": "erp", "kind": "errors", "rate": 0.2},
    {"at": "00:30", "for": "5m", "target": "erp", "kind": "latency", "latency": "2s"},
]


@pytest.mark.parametrize("mode", ["realtime", "batch", "hybrid"])
@pytest.mark.parametrize("workers", [None, 3])
def test_fast_path_and_simpy_model_give_the_same_results(mode, workers):
    cfg = config(
        options=ModelOptions(workers=workers),
        faults=FAULTS,
        **{
            "integration.mode": mode,
            "integration.interval": "1m",
            "integration.max_batch": 7,
            "erp.queue": 1_000_000,  # no 429 pauses: the engines agree float for float
        },
    )
    stream = poisson_stream(rate=2.0, horizon_s=2_700.0, config=cfg, seed=1, stores=3)
    fast, slow = run_fast(stream, cfg), run_simpy(stream, cfg)
    assert not (fast.req_status == 429).any()
    assert np.array_equal(fast.committed, slow.committed, equal_nan=True)
    assert np.array_equal(np.sort(fast.req_t), np.sort(slow.req_t))
    assert sorted(fast.req_status.tolist()) == sorted(slow.req_status.tolist())
    assert fast.busy_s == pytest.approx(slow.busy_s)
    assert sorted(fast.req_service.tolist()) == sorted(slow.req_service.tolist())
    assert (fast.req_status == 503).any()
    assert (fast.req_status == 500).any()


def test_fast_path_and_simpy_model_agree_under_429_pauses():
    cfg = config(
        options=ModelOptions(workers=8),
        **{"erp.window.requests": 300, "erp.window.per": "2m"},
    )
    stream = poisson_stream(rate=3.0, horizon_s=3_000.0, config=cfg, seed=2)
    fast, slow = run_fast(stream, cfg), run_simpy(stream, cfg)
    assert (fast.req_status == 429).sum() > 100
    p95 = [np.percentile(o.committed - stream.t, 95) for o in (fast, slow)]
    assert p95[0] == pytest.approx(p95[1], rel=0.05)
    assert (fast.req_status == 429).sum() == pytest.approx((slow.req_status == 429).sum(), rel=0.1)


def test_batch_cost_is_fixed_plus_per_operation():
    cfg = config(
        **QUIET,
        **{
            "integration.mode": "batch",
            "integration.interval": "1m",
            "erp.concurrency": 50,
            "erp.batch.fixed": "300ms",
            "erp.batch.per_operation": "50ms",
            "erp.latency.p99": "120ms",  # = median: no noise
        },
    )
    stream = poisson_stream(rate=1.0, horizon_s=20_000.0, config=cfg, seed=6)
    out = run_fast(stream, cfg)
    assert out.req_batch.all()
    assert len(np.unique(out.req_ops)) > 10
    assert np.allclose(out.req_latency, 0.3 + 0.05 * out.req_ops)
    fit = fit_batch(out.req_ops.astype(np.int64), out.req_latency)
    assert fit is not None
    assert (fit.fixed_s, fit.per_operation_s) == pytest.approx((0.3, 0.05))
    assert len(out.req_t) < len(stream) / 20


def test_batches_respect_the_smaller_of_both_limits():
    cfg = config(**{"integration.mode": "batch", "integration.max_batch": 500})
    stream = poisson_stream(rate=20.0, horizon_s=1_200.0, config=cfg, seed=7)
    out = run_fast(stream, cfg)
    assert out.req_ops.max() == 100  # erp.batch.max_operations


def test_429s_appear_only_when_the_window_is_tight():
    stream_cfg = config()
    stream = poisson_stream(rate=3.0, horizon_s=1_800.0, config=stream_cfg, seed=8)
    assert not (run_fast(stream, stream_cfg).req_status == 429).any()
    tight = stream_cfg.with_changes(window_requests=200, window_s=120.0)
    out = run_fast(stream, tight)
    assert (out.req_status == 429).sum() > 0
    assert np.isfinite(out.committed).all()


def test_a_full_queue_answers_429():
    cfg = config(options=ModelOptions(workers=None), **{"erp.queue": 2, "erp.concurrency": 1})
    stream = poisson_stream(rate=6.0, horizon_s=600.0, config=cfg, seed=9)
    out = run_fast(stream, cfg)
    assert (out.req_status == 429).sum() > 0
    assert np.isfinite(out.committed).all()


def test_an_outage_grows_the_backlog_which_then_drains():
    outage = [{"at": "00:30", "for": "10m", "target": "erp", "kind": "outage"}]
    cfg = config(faults=outage)
    stream = poisson_stream(rate=2.0, horizon_s=5_400.0, config=cfg, seed=10)
    out = run_fast(stream, cfg)
    grid = np.arange(0.0, 5_400.0, 60.0)
    backlog = connector_samples(stream, out, grid)["backlog"]
    before, end_of_outage = backlog[grid < 1800].max(), backlog[grid == 2340][0]
    assert end_of_outage > 10 * max(1, before)
    assert backlog[grid > 3600].max() <= max(5, 2 * before)
    late = stream.t < 2400
    converged = np.nanmax(out.committed[late]) - 2400
    assert 0 < converged < cfg.park_s + cfg.backoff_cap_s
    assert len(out.dead_t) > 0


def test_same_seed_same_results_other_seed_other_results():
    cfg = config(faults=FAULTS)
    runs = [
        run_fast(poisson_stream(rate=2.0, horizon_s=2_700.0, config=cfg, seed=s), cfg)
        for s in (1, 1, 2)
    ]
    assert np.array_equal(runs[0].committed, runs[1].committed)
    assert np.array_equal(runs[0].req_latency, runs[1].req_latency)
    assert len(runs[0].committed) != len(runs[2].committed) or not np.array_equal(
        runs[0].committed, runs[2].committed
    )


@pytest.mark.parametrize(
    ("duplicates", "status_409", "double"), [("reject", True, False), ("accept", False, False)]
)
def test_duplicate_webhooks_meet_the_erps_duplicate_rule(duplicates, status_409, double):
    """reject: the ERP answers 409; accept: the connector finds the first document by its
    look-up. Never a second document either way."""
    fault = [
        {"at": "00:05", "for": "20m", "target": "pos.webhooks", "kind": "duplicate", "rate": 0.5}
    ]
    cfg = config(options=ModelOptions(inbox=False), faults=fault, **{"erp.duplicates": duplicates})
    stream = poisson_stream(rate=1.0, horizon_s=1_800.0, config=cfg, seed=11)
    out = run_fast(stream, cfg)
    dup = stream.origin != np.arange(len(stream))
    assert dup.sum() > 100
    assert bool((out.req_status == 409).any()) is status_409
    assert bool(np.isfinite(out.committed[dup]).any()) is double


def test_an_offline_store_holds_its_sales_until_it_is_back():
    fault = [{"at": "00:10", "for": "10m", "target": "store:2", "kind": "offline"}]
    cfg = config(faults=fault)
    stream = poisson_stream(rate=2.0, horizon_s=1_800.0, config=cfg, seed=12, stores=3)
    held = (stream.store == 1) & (stream.t >= 600) & (stream.t < 1200)
    assert held.any()
    assert (stream.ready[held] >= 1200).all()
    others = (stream.store != 1) & (stream.t >= 600) & (stream.t < 1100)
    assert (stream.ready[others] < 1200).all()


@pytest.mark.parametrize(("posting", "calls"), [("draft", 2.0), ("on_create", 1.0)])
def test_business_central_drafts_take_a_create_and_a_post_call_per_sale(posting, calls):
    cfg = config(**{**QUIET, "erp.posting": posting})
    stream = poisson_stream(rate=1.0, horizon_s=1_800.0, config=cfg, seed=21)
    out = run_fast(stream, cfg)
    assert len(out.req_t) == calls * len(stream)
    assert np.isfinite(out.committed).all()
    if posting == "draft":
        assert out.req_step is not None
        assert (out.req_step == CREATE).sum() == (out.req_step == POST).sum() == len(stream)
        # the post is sent by the same worker the moment the draft exists
        creates = np.flatnonzero(out.req_step == CREATE)
        posts = np.flatnonzero(out.req_step == POST)
        assert np.allclose(
            np.sort(out.req_t[creates] + out.req_latency[creates]), np.sort(out.req_t[posts])
        )


def test_a_batch_of_drafts_is_followed_by_a_batch_of_post_actions():
    cfg = config(
        **{
            **QUIET,
            "erp.posting": "draft",
            "integration.mode": "batch",
            "integration.interval": "5m",
        }
    )
    stream = poisson_stream(rate=1.0, horizon_s=3_600.0, config=cfg, seed=22)
    out = run_fast(stream, cfg)
    assert out.req_batch.all()
    assert out.req_step is not None
    assert (out.req_step == CREATE).sum() == (out.req_step == POST).sum()
    assert out.req_ops[out.req_step == CREATE].sum() == len(stream)


def test_the_connector_looks_up_before_resending_after_an_error_but_not_after_a_refusal():
    errors = [{"at": "00:05", "for": "10m", "target": "erp", "kind": "errors", "rate": 0.3}]
    cfg = config(faults=errors)
    out = run_fast(poisson_stream(rate=1.0, horizon_s=1_800.0, config=cfg, seed=23), cfg)
    assert out.req_step is not None
    failed_after_work = int(((out.req_status == 500) & (out.req_service > 0)).sum())
    assert failed_after_work > 20
    assert (out.req_step == LOOKUP).sum() == failed_after_work
    assert np.isfinite(out.committed).all()
    outage = [{"at": "00:05", "for": "5m", "target": "erp", "kind": "outage"}]
    cfg = config(faults=outage)
    out = run_fast(poisson_stream(rate=1.0, horizon_s=1_800.0, config=cfg, seed=23), cfg)
    assert (out.req_status == 503).sum() > 20
    assert out.req_step is not None
    assert not (out.req_step == LOOKUP).any()


def test_the_inbox_drops_duplicate_webhooks_before_the_erp():
    fault = [
        {"at": "00:05", "for": "20m", "target": "pos.webhooks", "kind": "duplicate", "rate": 0.5}
    ]
    with_inbox = config(faults=fault, **QUIET)
    stream = poisson_stream(rate=1.0, horizon_s=1_800.0, config=with_inbox, seed=24)
    assert (stream.origin == np.arange(len(stream))).all()
    assert len(run_fast(stream, with_inbox).req_t) == len(stream)
