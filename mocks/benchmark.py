"""Benchmark: durable 5-line invoice posts to the mock ERP against a plain FastAPI
in-memory POST, measured in the same run, servers and load generator in separate processes.

Targets (issue 4): ERP throughput ≥ 0.5 × the plain app's, p99 < 50 ms at half the ERP's
saturated load, and (with PostgreSQL) throughput that grows with workers.

``python -m mocks.benchmark [--quick]`` prints the result as JSON.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

from mocks.core.process import MockProcess

TOKEN = "bench-token"
ADMIN = "bench-admin"
COMPANY = "5d115c9c-44e3-ea11-bb43-000d3a2feca1"
INVOICES = f"/api/v2.0/companies({COMPANY})/salesInvoices"
SKUS = [f"BENCH-{i}" for i in range(1, 201)]
STORES = [f"S{i:03d}" for i in range(1, 21)]
LINES = 5


def _invoice_body(rng: random.Random) -> str:
    store = rng.choice(STORES)
    return json.dumps(
        {
            "externalDocumentNumber": "BENCH-@@N@@",
            "customerNumber": "RETAIL",
            "salesInvoiceLines": [
                {
                    "lineObjectNumber": sku,
                    "locationCode": store,
                    "quantity": 1,
                    "unitPrice": 2.5,
                    "taxPercent": 8,
                }
                for sku in rng.sample(SKUS, LINES)
            ],
        },
        separators=(",", ":"),
    )


INVOICE_BODIES = [_invoice_body(random.Random(seed)) for seed in range(500)]
"""5-line invoices of one store each, over 20 stores × 200 SKUs (the same for both apps)."""
INVOICE_BODY = INVOICE_BODIES[0]


class _Line(BaseModel):
    lineObjectNumber: str
    locationCode: str
    quantity: float
    unitPrice: float
    taxPercent: float


class _Invoice(BaseModel):
    externalDocumentNumber: str
    customerNumber: str
    salesInvoiceLines: list[_Line]


def plain_app(_settings: Mapping[str, Any]) -> FastAPI:
    """The baseline: FastAPI + pydantic, the same invoice body, kept in a dict in memory."""
    app = FastAPI()
    store: dict[str, _Invoice] = {}

    @app.post("/invoices", status_code=201)
    async def create(body: _Invoice) -> dict[str, Any]:
        store[body.externalDocumentNumber] = body
        return {"id": body.externalDocumentNumber, "lines": len(body.salesInvoiceLines)}

    @app.get("/admin/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _load(port: int, path: str, *, duration: float, rate: float | None = None) -> dict[str, Any]:
    spec = {
        "port": port,
        "path": path,
        "body": INVOICE_BODIES,
        "token": TOKEN,
        "connections": 32,
        "duration": duration,
        "warmup": min(1.0, duration / 3),
        "rate": rate,
    }
    done = subprocess.run(
        [sys.executable, "-m", "mocks.loadgen", "-"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _erp_settings(db_url: str) -> dict[str, Any]:
    return {
        "db_url": db_url,
        "capacity": False,
        "api_tokens": {TOKEN: "bench"},
        "admin_token": ADMIN,
    }


def _seed(base_url: str) -> None:
    catalog = {
        "items": [{"number": sku, "displayName": sku, "unitPrice": "2.50"} for sku in SKUS],
        "locations": [{"code": store} for store in STORES],
        "stock": [
            {"itemNumber": sku, "locationCode": store, "quantity": 10**9}
            for sku in SKUS
            for store in STORES
        ],
    }
    response = httpx.post(
        f"{base_url}/admin/erp/catalog",
        json=catalog,
        headers={"Authorization": f"Bearer {ADMIN}"},
        timeout=30,
    )
    response.raise_for_status()


def _erp_run(db_url: str, *, workers: int, duration: float, half_load: bool) -> dict[str, Any]:
    with MockProcess(
        "mocks.erp:create_app", settings=_erp_settings(db_url), workers=workers
    ) as erp:
        _seed(erp.base_url)
        saturated = _load(erp.port, INVOICES, duration=duration)
        out: dict[str, Any] = {"saturated": saturated}
        if half_load:
            rate = max(1.0, saturated["throughput_rps"] / 2)
            out["half_load"] = {
                "rate_rps": rate,
                **_load(erp.port, INVOICES, duration=duration, rate=rate),
            }
        return out


def _postgres_url() -> str | None:
    url = os.environ.get(
        "TILLBENCH_TEST_PG_URL", "postgresql://tillbench:tillbench@127.0.0.1:5432/tillbench_test"
    )
    import sqlalchemy as sa

    from mocks.core import normalize_url

    engine = sa.create_engine(normalize_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS tillbench_erp_bench CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA tillbench_erp_bench"))
    except sa.exc.OperationalError:
        return None
    finally:
        engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3Dtillbench_erp_bench"


def _best(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return max(runs, key=lambda r: float(r["throughput_rps"]))


def run(quick: bool = False) -> dict[str, Any]:
    """Measure both apps in one run, alternating them for several rounds on two live
    servers and keeping each one's best round (other processes on the machine disturb single
    rounds); then the ERP's p50/p99 at half its best throughput. ``quick``: shorter rounds,
    no PostgreSQL."""
    duration, rounds = (3.0, 2) if quick else (8.0, 3)
    with (
        tempfile.TemporaryDirectory(prefix="tillbench-bench-") as tmp,
        MockProcess("mocks.benchmark:plain_app", admin_token=ADMIN) as plain,
        MockProcess(
            "mocks.erp:create_app", settings=_erp_settings(f"sqlite:///{Path(tmp) / 'erp.sqlite'}")
        ) as erp,
    ):
        _seed(erp.base_url)
        plain_runs: list[dict[str, Any]] = []
        erp_runs: list[dict[str, Any]] = []
        for _ in range(rounds):
            plain_runs.append(_load(plain.port, "/invoices", duration=duration))
            erp_runs.append(_load(erp.port, INVOICES, duration=duration))
        baseline, saturated = _best(plain_runs), _best(erp_runs)
        rate = max(1.0, saturated["throughput_rps"] / 2)
        half = {"rate_rps": rate, **_load(erp.port, INVOICES, duration=duration, rate=rate)}
    ratio = saturated["throughput_rps"] / max(baseline["throughput_rps"], 1e-9)
    result: dict[str, Any] = {
        "benchmark": "mock ERP durable 5-line invoice POST vs plain FastAPI in-memory POST",
        "duration_s": duration,
        "rounds": rounds,
        "connections": 32,
        "plain_fastapi_in_memory": baseline,
        "erp_sqlite_1_worker": {"saturated": saturated, "half_load": half},
        "rounds_rps": {
            "plain": [r["throughput_rps"] for r in plain_runs],
            "erp": [r["throughput_rps"] for r in erp_runs],
        },
        "ratio_erp_to_plain": round(ratio, 3),
        "targets": {
            "ratio_at_least_0.5": ratio >= 0.5,
            "p99_at_half_load_below_50ms": half["p99_ms"] < 50.0,
        },
    }
    if not quick:
        pg_url = _postgres_url()
        if pg_url is None:
            result["erp_postgres"] = "skipped: PostgreSQL not reachable (TILLBENCH_TEST_PG_URL)"
        else:
            result["erp_postgres"] = {
                f"{workers}_workers": _erp_run(
                    pg_url, workers=workers, duration=duration, half_load=False
                )["saturated"]
                for workers in (1, 2)
            }
    return result


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
