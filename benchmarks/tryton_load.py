"""Synthetic POS sales for a Tryton database and concurrent writers posting them.

Used by the benchmark and by the Tryton tests: `bench_scenario` is their scenario,
`synthetic_sales` draws sales from a
master-data spec (seeded), `post_concurrently` has N writer threads (one `TrytonRpc` each,
as N connector workers would) post them in batches and reports rate, 503s, retries and the
duplicate sale numbers Tryton handed out.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import threading
import time
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from connectors.erp.tryton import PosLine, PosSale, TrytonError, TrytonPos, TrytonRpc

__all__ = ["LoadResult", "bench_scenario", "post_concurrently", "synthetic_sales"]

_CENT = Decimal("0.01")
_BATCH_TRIES = 5


@dataclasses.dataclass(frozen=True, slots=True)
class LoadResult:
    """What `post_concurrently` measured."""

    writers: int
    batch: int
    sales: int
    seconds: float
    status_503: int
    retries: int
    failed_batches: int
    """batches still refused after every try (their sales may be missing)"""
    posted: int
    """distinct references Tryton holds in state posted"""
    duplicate_numbers: int
    """sales whose number another sale also carries"""

    @property
    def sales_per_s(self) -> float:
        return self.sales / self.seconds if self.seconds else 0.0

    def to_json(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "sales_per_s": round(self.sales_per_s, 2)}


def bench_scenario() -> Any:
    """The bundled demo scenario shrunk to 2 stores and 20 minutes, without faults: the
    benchmark's and the Tryton tests' scenario (one spec, so one cached database)."""
    import scenarios

    return scenarios.load("demo").with_overrides(
        **{
            "chain.stores": 2,
            "duration": "20m",
            "faults": [],
            "traffic.multiplier": 4.0,
            "data_quality.card_in_notes": 0.0,
        }
    )


def synthetic_sales(
    spec: dict[str, Any],
    count: int,
    *,
    rng: random.Random,
    prefix: str,
    stores: Sequence[str] | None = None,
    lines: int = 3,
) -> list[PosSale]:
    """`count` card sales of `lines` lines each at the spec's gross prices, on `stores`."""
    products = spec["products"]
    store_ids = list(stores or [s["id"] for s in spec["stores"]])
    day = dt.date.fromisoformat(spec["dates"]["start"])
    out = []
    for i in range(count):
        picked = rng.sample(products, k=min(lines, len(products)))
        items = tuple(
            PosLine(p["code"], Decimal(rng.randint(1, 3)), Decimal(p["gross_price"]))
            for p in picked
        )
        total = sum(
            ((item.quantity * item.unit_gross_price).quantize(_CENT) for item in items),
            Decimal(0),
        )
        out.append(
            PosSale(f"{prefix}-{i:06d}", rng.choice(store_ids), day, items, (("credit", total),))
        )
    return out


def post_concurrently(
    url: str, *, user: str, password: str, sales: Sequence[PosSale], writers: int, batch: int
) -> LoadResult:
    """Post `sales` from `writers` threads, `batch` per `post_sales` call; then check them."""
    shares = [list(sales[w::writers]) for w in range(writers)]
    clients = [
        TrytonRpc(url, user=user, password=password, rng=random.Random(w)) for w in range(writers)
    ]
    poses = [TrytonPos(rpc) for rpc in clients]
    failed = [0] * writers
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def work(w: int) -> None:
        try:
            post_share(w)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    def post_share(w: int) -> None:
        barrier.wait()
        mine = shares[w]
        for start in range(0, len(mine), batch):
            chunk = mine[start : start + batch]
            for _try in range(_BATCH_TRIES):
                try:
                    poses[w].post_sales(chunk)
                    break
                except TrytonError as exc:
                    if exc.status not in (0, 409, 503):
                        raise
            else:
                failed[w] += 1

    threads = [threading.Thread(target=work, args=(w,)) for w in range(writers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        for rpc in clients:
            rpc.close()
        raise errors[0]
    found = poses[0].find([s.reference for s in sales])
    numbers = Counter(p.number for p in found.values() if p.number)
    stats = [rpc.stats() for rpc in clients]
    for rpc in clients:
        rpc.close()
    return LoadResult(
        writers=writers,
        batch=batch,
        sales=len(sales),
        seconds=seconds,
        status_503=sum(s.status_503 for s in stats),
        retries=sum(s.retries for s in stats),
        failed_batches=sum(failed),
        posted=sum(1 for p in found.values() if p.state == "posted"),
        duplicate_numbers=sum(n for n in numbers.values() if n > 1),
    )
