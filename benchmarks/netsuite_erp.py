"""Benchmark: 5-line cash sales posted to the NetSuite dialect beside 5-line invoices
posted to the Business Central dialect, the same ERP engine underneath, measured in the
same run (SQLite, 1 worker, capacity model off, rounds alternating, best round of each).

Both dialects get the same catalogue, stores and line mix; the NetSuite bodies reference
items, locations and the customer by ``externalId`` and carry a unique ``externalId``
(NetSuite keeps it unique, so every post runs the uniqueness check). Requests authenticate
with a bearer token on both sides (the NetSuite mock's OAuth 2.0 option): a load generator
cannot sign each request with OAuth 1.0a, whose nonces may not repeat.

``ratio_netsuite_to_bc`` is the NetSuite dialect's cash-sale posts/s over Business
Central's invoice posts/s (each a POST answered only once committed).

``python -m benchmarks.netsuite_erp [--quick]`` prints the result as JSON.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from functools import partial
from pathlib import Path
from typing import Any

from benchmarks import wrk
from benchmarks.mock_servers import (
    ADMIN,
    CONNECTIONS,
    INVOICE_BODIES,
    INVOICES,
    LINES,
    SKUS,
    STORES,
    TOKEN,
    _erp_settings,
    _measured,
    _seed,
)
from mocks.core.process import MockProcess

CASH_SALES = "/services/rest/record/v1/cashSale"


def _cash_sale_body(rng: random.Random, prefix: str) -> str:
    store = rng.choice(STORES)
    return json.dumps(
        {
            "externalId": f"{prefix}-@@N@@",
            "entity": {"externalId": "RETAIL"},
            "location": {"externalId": store},
            "item": {
                "items": [
                    {"item": {"externalId": sku}, "quantity": 1, "rate": 2.5, "taxRate1": 8}
                    for sku in rng.sample(SKUS, LINES)
                ]
            },
        },
        separators=(",", ":"),
    )


def _load(port: int, path: str, bodies: list[str], *, duration: float) -> dict[str, Any]:
    if wrk.available():
        return wrk.run(
            port=port,
            path=path,
            bodies=bodies,
            token=TOKEN,
            connections=CONNECTIONS,
            duration=duration,
            warmup=min(1.0, duration / 3),
        )
    import subprocess

    spec = {
        "port": port,
        "path": path,
        "body": bodies,
        "token": TOKEN,
        "connections": CONNECTIONS,
        "duration": duration,
        "warmup": min(1.0, duration / 3),
        "rate": None,
    }
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.loadgen", "-"],
        input=json.dumps(spec),
        capture_output=True,
        text=True,
        check=True,
        timeout=duration + 120,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    result["generator"] = "python"
    result["generator_cpu_s"] = 0.0
    return result


def run(quick: bool = False) -> dict[str, Any]:
    """The benchmark's JSON."""
    duration, rounds = (2.0, 1) if quick else (6.0, 3)
    bc_runs: list[dict[str, Any]] = []
    ns_runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="tillbench-ns-bench-") as tmp:
        ns_settings = {**_erp_settings(f"sqlite:///{Path(tmp) / 'ns.sqlite'}"), "oauth2": True}
        with (
            MockProcess(
                "mocks.erp.bc:create_app",
                settings=_erp_settings(f"sqlite:///{Path(tmp) / 'bc.sqlite'}"),
                admin_token=ADMIN,
            ) as bc,
            MockProcess(
                "mocks.erp.netsuite:create_app", settings=ns_settings, admin_token=ADMIN
            ) as ns,
        ):
            _seed(bc.base_url)
            _seed(ns.base_url)
            for r in range(rounds):
                bodies = [_cash_sale_body(random.Random(s), f"R{r}") for s in range(500)]
                bc_runs.append(
                    _measured(
                        bc, lambda: _load(bc.port, INVOICES, INVOICE_BODIES, duration=duration)
                    )
                )
                ns_runs.append(
                    _measured(ns, partial(_load, ns.port, CASH_SALES, bodies, duration=duration))
                )
    best_bc = max(bc_runs, key=lambda x: float(x["throughput_rps"]))
    best_ns = max(ns_runs, key=lambda x: float(x["throughput_rps"]))
    ratio = float(best_ns["throughput_rps"]) / max(float(best_bc["throughput_rps"]), 1e-9)
    return {
        "what": "5-line document posts/s, SQLite, 1 worker, same engine: NetSuite cash sales "
        "vs Business Central invoices",
        "generator": best_ns.get("generator"),
        "netsuite_cash_sales": best_ns,
        "bc_invoices": best_bc,
        "rounds_rps": {
            "netsuite": [x["throughput_rps"] for x in ns_runs],
            "bc": [x["throughput_rps"] for x in bc_runs],
        },
        "cash_sale_posts_per_s": best_ns["throughput_rps"],
        "bc_invoice_posts_per_s": best_bc["throughput_rps"],
        "ratio_netsuite_to_bc": round(ratio, 3),
    }


if __name__ == "__main__":
    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
