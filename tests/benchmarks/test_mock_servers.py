"""The benchmark, its load generators and its CPU accounting."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from benchmarks import mock_servers as benchmark
from benchmarks import wrk
from benchmarks.cpu import CpuMeter, cpu_seconds, process_tree
from benchmarks.loadgen import Tally, summarize
from mocks.core.process import MockProcess


def test_summarize_counts_only_2xx_as_throughput() -> None:
    tally = Tally(
        latencies=[0.001 * i for i in range(1, 101)], statuses=Counter({201: 90, 429: 10})
    )
    result = summarize(tally, duration=2.0)
    assert result["throughput_rps"] == 45.0
    assert result["p50_ms"] == pytest.approx(51.0)
    assert result["p99_ms"] == pytest.approx(100.0)
    assert result["statuses"] == {"201": 90, "429": 10}


def test_wrk_summary_has_the_python_generators_shape() -> None:
    summary = {
        "requests": 1000,
        "duration_us": 2_000_000,
        "p50_us": 1500,
        "p99_us": 9000,
        "max_us": 12000,
        "socket_errors": 1,
        "timeouts": 2,
        "statuses": {"429": 100, "201": 900},
    }
    result = wrk.summarize(summary, cpu_seconds=0.5)
    python_keys = set(summarize(Tally(), duration=1.0))
    assert python_keys <= set(result)
    assert result["throughput_rps"] == 450.0
    assert result["statuses"] == {"201": 900, "429": 100}
    assert (result["p50_ms"], result["p99_ms"]) == (1.5, 9.0)
    assert result["connection_failures"] == 3
    assert result["generator"] == "wrk"


def test_wrk_script_quotes_bodies_whatever_brackets_they_hold() -> None:
    body = '{"note": "a]]b]=]c", "n": "@@N@@"}'
    script = wrk.script(path="/p", bodies=[body], token="t", base=1000, threads=2)
    assert "[==[" + body + "]==]" in script
    assert '"Bearer t"' in script or "[[Bearer t]]" in script
    assert "local base = 1000" in script


@pytest.mark.skipif(not wrk.available(), reason="wrk is not installed (apt-get install -y wrk)")
def test_wrk_posts_every_body_with_a_unique_number(tmp_path: Path) -> None:
    settings = benchmark._erp_settings(f"sqlite:///{tmp_path / 'erp.sqlite'}")
    with MockProcess("mocks.erp.bc:create_app", settings=settings) as erp:
        benchmark._seed(erp.base_url)
        result = wrk.run(
            port=erp.port,
            path=benchmark.INVOICES,
            bodies=benchmark.INVOICE_BODIES[:3],
            token=benchmark.TOKEN,
            connections=4,
            duration=1,
            warmup=1,
            threads=2,
        )
    # the ERP rejects a repeated externalDocumentNumber with 409: all 201 means all unique
    assert result["requests"] > 0
    assert result["statuses"] == {"201": result["requests"]}
    assert result["generator_cpu_s"] > 0


def test_cpu_meter_sees_a_busy_child_and_the_rest_of_the_machine() -> None:
    busy = subprocess.Popen(
        [sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 0.6: pass"]
    )
    meter = CpuMeter({"child": lambda: process_tree(busy.pid)})
    meter.start()
    busy.wait(timeout=10)
    cores = meter.stop(external={"generator": 0.0})
    # the child exited before stop(): its time is gone, as documented; only "machine" sees it
    assert cores["machine"] > 0.0
    assert cores["child"] == 0.0
    assert cores["other"] >= 0.0
    assert cores["available"] >= 1


def test_cpu_seconds_of_a_live_process_grow() -> None:
    busy = subprocess.Popen(
        [sys.executable, "-c", "import time\nt = time.time()\nwhile time.time() - t < 5: pass"]
    )
    try:
        meter = CpuMeter({"child": lambda: [busy.pid]})
        meter.start()
        first = cpu_seconds([busy.pid])[busy.pid]
        time.sleep(0.5)
        cores = meter.stop()
        assert cpu_seconds([busy.pid])[busy.pid] > first
        assert cores["child"] > 0.0
        assert cores["machine"] >= cores["child"] - 0.02
    finally:
        busy.kill()
        busy.wait()


def _phase(plain: float, erp: float, p99: float) -> dict[str, Any]:
    return {
        "plain": {"throughput_rps": plain, "cores": {"server": 1.0}},
        "erp": {"throughput_rps": erp, "cores": {"server": 0.5}},
        "half": {"p99_ms": p99, "rate_rps": erp / 2},
    }


def test_targets_report_numbers_and_verdicts() -> None:
    postgres = {
        f"{w}_workers": {"throughput_rps": rps} for w, rps in ((1, 1000), (2, 1150), (3, 1200))
    }
    targets = benchmark._targets(_phase(4000, 2100, 12.0), postgres)
    assert targets["ratio_at_least_0.5"] == {
        "met": True,
        "ratio": 0.525,
        "erp_rps": 2100.0,
        "plain_rps": 4000.0,
        "ratio_per_server_core": 1.05,
    }
    assert targets["p99_at_half_load_below_50ms"]["met"] is True
    grows = targets["grows_with_workers_on_postgres"]
    assert grows["met"] is True
    assert grows["growth_2_over_1"] == 1.15
    assert grows["rps_by_workers"] == {"1": 1000.0, "2": 1150.0, "3": 1200.0}


def test_targets_fail_below_thresholds_and_say_when_postgres_was_skipped() -> None:
    postgres = {
        f"{w}_workers": {"throughput_rps": rps} for w, rps in ((1, 1000), (2, 1050), (3, 900))
    }
    targets = benchmark._targets(_phase(4000, 1900, 50.0), postgres)
    assert targets["ratio_at_least_0.5"]["met"] is False
    assert targets["p99_at_half_load_below_50ms"]["met"] is False
    assert targets["grows_with_workers_on_postgres"]["met"] is False
    skipped = benchmark._targets(_phase(4000, 2100, 1.0), "skipped: no PostgreSQL")
    assert skipped["grows_with_workers_on_postgres"]["met"] is None


def test_python_generator_when_wrk_is_absent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(wrk, "available", lambda: False)
    assert benchmark.generator_name() == "python"
    with MockProcess("benchmarks.mock_servers:plain_app", admin_token=benchmark.ADMIN) as plain:
        result = benchmark._saturate(plain.port, "/invoices", duration=1.0)
    assert result["generator"] == "python"
    assert result["statuses"] == {"201": result["requests"]}


@pytest.mark.slow
def test_quick_benchmark_measures_both_apps() -> None:
    result = benchmark.run(quick=True)
    plain = result["plain_fastapi_in_memory"]
    erp = result["erp_sqlite_1_worker"]
    assert plain["ok"] > 0
    assert erp["saturated"]["statuses"] == {"201": erp["saturated"]["requests"]}
    assert erp["half_load"]["ok"] > 0
    assert result["ratio_erp_to_plain"] == pytest.approx(
        erp["saturated"]["throughput_rps"] / plain["throughput_rps"], rel=1e-2
    )
    assert set(erp["saturated"]["cores"]) >= {"server", "generator", "other", "machine"}
    assert result["generator"] == benchmark.generator_name()
    rounds = result["half_load_rounds"]
    assert len(rounds["p99_ms"]) == len(result["ratio_rounds"]) == result["rounds"]
    assert erp["half_load"]["p99_ms"] == min(rounds["p99_ms"])
    assert set(result["targets"]) == {
        "ratio_at_least_0.5",
        "p99_at_half_load_below_50ms",
        "grows_with_workers_on_postgres",
    }


def test_postgres_backends_are_found_by_the_urls_application_name() -> None:
    import psycopg

    url = benchmark._postgres_url("tillbench_erp_bench_probe")
    if url is None:
        pytest.skip("PostgreSQL not reachable (make pg)")
    try:
        with psycopg.connect(url) as conn:
            own = conn.execute("SELECT pg_backend_pid()").fetchone()
            assert own is not None
            assert benchmark._postgres_pids(url) == [own[0]]
        assert benchmark._postgres_pids(None) == []
    finally:
        benchmark._drop_schema(url, "tillbench_erp_bench_probe")
