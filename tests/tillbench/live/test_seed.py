"""Seeding in requests below every body limit: `chunks_by_size` and the ERP catalogue's
parts, in the order the ERP needs them, adding up to the whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tillbench.live.seed import SEED_BODY_BYTES, chunks_by_size, erp_catalog_chunks

PEAK_RSS_BYTES = 1536 * 2**20
"""The largest process of a 100-store run stays under this (measured: about 600 MiB)."""

MEASURED = """\
import resource, subprocess, sys
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024)
"""
"""Runs a command in a fresh interpreter; prints its exit code and the peak RSS of the
largest process it started (the harness, a mock, the connector)."""


def _size(body: object) -> int:
    return len(json.dumps(body, separators=(",", ":")).encode())


def test_chunks_keep_every_row_in_order_within_the_budget() -> None:
    rows = [
        {"store_id": f"S{i % 100:04d}", "sku": f"SKU-{i:05d}", "q": str(i)} for i in range(30_000)
    ]
    parts = list(chunks_by_size(rows, budget=50_000))
    assert [row for part in parts for row in part] == rows
    assert len(parts) > 1
    assert all(_size({"counts": part}) <= 50_000 for part in parts)
    assert all(_size({"counts": part}) > 40_000 for part in parts[:-1]), "parts are full"


def test_the_default_budget_is_half_the_mocks_body_limit() -> None:
    from mocks.core.settings import CoreSettings

    limit = CoreSettings.model_fields["max_body_bytes"].default
    assert limit == SEED_BODY_BYTES * 2


def test_a_row_larger_than_the_budget_goes_alone() -> None:
    rows = [{"a": "x"}, {"a": "y" * 1000}, {"a": "z"}]
    assert list(chunks_by_size(rows, budget=200)) == [[rows[0]], [rows[1]], [rows[2]]]


@pytest.mark.parametrize("rows", [[], [{"a": 1}]])
def test_no_rows_no_empty_parts(rows: list[dict[str, int]]) -> None:
    assert [r for part in chunks_by_size(rows) for r in part] == rows
    assert all(part for part in chunks_by_size(rows))


def test_erp_catalog_parts_come_items_first_and_add_up() -> None:
    body = {
        "items": [{"number": f"SKU-{i:05d}", "displayName": "x" * 80} for i in range(3000)],
        "locations": [{"code": f"S{i:04d}", "displayName": "Store"} for i in range(100)],
        "customers": [{"number": f"C{i}", "displayName": "y" * 40} for i in range(5000)],
        "stock": [
            {"itemNumber": f"SKU-{i % 3000:05d}", "locationCode": f"S{i % 100:04d}", "quantity": 5}
            for i in range(30_000)
        ],
    }
    parts = list(erp_catalog_chunks(body, budget=100_000))
    assert all(_size(part) <= 100_000 for part in parts)
    keys = [next(iter(part)) for part in parts]
    assert keys == sorted(keys, key=["items", "locations", "customers", "stock"].index)
    for key, rows in body.items():
        assert [r for part in parts for r in part.get(key, [])] == rows


@pytest.mark.slow
@pytest.mark.parametrize("stores", [30, 100])
def test_a_large_chain_seeds_and_runs_with_bounded_memory(tmp_path: Path, stores: int) -> None:
    """``tillbench run demo --set chain.stores=N`` (short, no faults): seeded in requests
    below the mocks' 1 MiB limit, the run finishes with a verdict (0 or 1; 3 would be the
    harness failing), and no process of it grows past `PEAK_RSS_BYTES`."""
    out = tmp_path / "runs"
    command = [
        str(Path(sys.executable).with_name("tillbench")),
        "run",
        "demo",
        "--set",
        f"chain.stores={stores}",
        "--set",
        "duration=5m",
        "--set",
        "faults=[]",
        "--out",
        str(out),
    ]
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *command],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    code, peak = (int(x) for x in done.stdout.split()[-2:])
    assert code in (0, 1), done.stderr[-2000:]
    assert "413" not in done.stderr
    (run_dir,) = out.iterdir()
    seeded = json.loads((run_dir / "run.json").read_text())["seeded"]
    assert seeded["locations"] == stores
    assert seeded["stock"] == stores * 300
    assert peak < PEAK_RSS_BYTES, f"peak RSS {peak / 2**20:.0f} MiB"
