"""The naive SimPy model: one process per customer. Reference and benchmark baseline.

`simpy_fifo_waits` is the checkout queue as a SimPy ``Resource`` — the model the fast
path's heap loop must reproduce exactly (tested). `naive_simpy_traffic` runs a scenario the
textbook way: a source process per store draws arrivals by thinning, each customer is a
process that builds its basket in Python, takes it off the shelves (lost units when short),
prices and taxes it, picks a tender, queues for a lane ``Resource``, is served, and appends
a record. It is the "naive SimPy model of the same scenario" the benchmark compares the
fast path with; it leaves out what the fast path adds on top (receipt references of
returns, voids, shrink, deliveries, loyalty, notes), so the measured ratio is conservative.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import random
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import simpy
from numpy.typing import NDArray

from simulator.arrivals import day_pieces
from simulator.engine import RunState
from simulator.money import rational
from simulator.params import Params
from simulator.world import World, build_world_from_params

__all__ = ["NaiveResult", "naive_simpy_traffic", "simpy_fifo_waits"]

F64 = NDArray[np.float64]


def simpy_fifo_waits(arrivals: F64, services: F64, servers: int) -> tuple[F64, F64]:
    """Start and end of service of each customer at a SimPy ``Resource(capacity=servers)``."""
    env = simpy.Environment()
    lane = simpy.Resource(env, capacity=servers)
    n = len(arrivals)
    starts = np.zeros(n)
    ends = np.zeros(n)

    def customer(i: int, a: float, s: float) -> Generator[simpy.Event, Any, None]:
        yield env.timeout(a)
        with lane.request() as request:
            yield request
            starts[i] = env.now
            yield env.timeout(s)
            ends[i] = env.now

    for i, (a, s) in enumerate(zip(arrivals.tolist(), services.tolist(), strict=True)):
        env.process(customer(i, a, s))
    env.run()
    return starts, ends


@dataclasses.dataclass(frozen=True, slots=True)
class NaiveResult:
    customers: int
    transactions: int
    lines: int
    elapsed_s: float
    mean_wait_s: float

    @property
    def customers_per_s(self) -> float:
        return self.customers / self.elapsed_s if self.elapsed_s > 0 else 0.0


def naive_simpy_traffic(
    scenario: Any | None = None,
    *,
    params: Params | None = None,
    seed: int | None = None,
    stores: int | None = None,
    out_dir: Path | None = None,
    world: World | None = None,
) -> NaiveResult:
    """Run the naive model on a scenario (or resolved ``params``), optionally to Parquet.

    ``stores`` limits the chain to its first N stores (the benchmark runs a slice);
    ``world`` reuses an already built world of the same parameters.
    """
    if params is None:
        params = Params.from_scenario(scenario, seed=seed)
    if stores is not None:
        params = params.with_changes(stores=min(stores, params.stores))
    started = time.perf_counter()
    if world is None:
        world = build_world_from_params(params)
    model = _NaiveModel(world)
    model.run()
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(model.records), out_dir / "naive_transactions.parquet")
        pq.write_table(pa.Table.from_pylist(model.line_records), out_dir / "naive_lines.parquet")
    elapsed = time.perf_counter() - started
    waits = [r["wait_s"] for r in model.records]
    return NaiveResult(
        customers=len(model.records),
        transactions=sum(1 for r in model.records if r["kind"] == "sale"),
        lines=len(model.line_records),
        elapsed_s=elapsed,
        mean_wait_s=sum(waits) / len(waits) if waits else 0.0,
    )


class _NaiveModel:
    def __init__(self, world: World) -> None:
        p = world.params
        self.world = world
        self.p = p
        self.rng = random.Random(p.seed)
        self.env = simpy.Environment()
        self.cdf = world.catalog.cdf.tolist()
        self.price = world.catalog.price_minor.tolist()
        self.tax_class = world.catalog.tax_class.tolist()
        self.ratios = [rational(tc.rate) for tc in p.tax_classes]
        self.promo = rational(p.promo_discount)
        self.mix = [k for k, _ in p.pay_mix]
        self.mix_cdf = list(np.cumsum([s for _, s in p.pay_mix]))
        self.brands = [k for k, _ in p.card_brands]
        self.brand_cdf = list(np.cumsum([s for _, s in p.card_brands]))
        self.skus = len(self.price)
        self.shelf: list[int] = RunState.create(world).stock.initial.tolist()
        self.lost = 0
        self.notes = [n * 10**p.exponent for n in (1, 5, 10, 20, 50, 100)]
        self.sequence: dict[tuple[int, bool], int] = {}
        self.records: list[dict[str, Any]] = []
        self.line_records: list[dict[str, Any]] = []

    def run(self) -> None:
        p = self.p
        for s in range(self.world.stores):
            regs = simpy.Resource(self.env, capacity=max(1, int(self.world.n_registers[s])))
            sco = simpy.Resource(self.env, capacity=max(1, int(self.world.n_self_checkouts[s])))
            self.env.process(self.source(s, regs, sco))
        self.env.run(until=p.duration_s + 6 * 3600)

    def source(
        self, s: int, regs: simpy.Resource, sco: simpy.Resource
    ) -> Generator[simpy.Event, Any, None]:
        """Arrivals by thinning a piecewise-constant intensity, day after day."""
        size = float(self.world.size_factor[s])
        for day in range(self.p.days):
            pieces = day_pieces(self.p, day)
            for t0, length, expected in zip(
                pieces.start_t.tolist(),
                pieces.length.tolist(),
                pieces.expected.tolist(),
                strict=True,
            ):
                rate = expected * size / length
                if rate <= 0:
                    continue
                t = t0
                while True:
                    t += self.rng.expovariate(rate)
                    if t >= t0 + length:
                        break
                    if t > self.env.now:
                        yield self.env.timeout(t - self.env.now)
                    self.env.process(self.customer(s, regs, sco))

    def basket(self) -> list[tuple[int, int, bool]]:
        p, rng = self.p, self.rng
        while True:
            lam = p.basket_median * math.exp(p.basket_sigma * rng.gauss(0.0, 1.0))
            n = _poisson(rng, lam)
            if n > 0:
                break
        lines = []
        for _ in range(min(n, p.max_items)):
            sku = min(bisect.bisect_right(self.cdf, rng.random()), len(self.cdf) - 1)
            qty = 1
            if p.quantity_max >= 2 and rng.random() < p.multi_unit_share:
                qty = rng.randint(2, p.quantity_max)
            lines.append((sku, qty, rng.random() < p.promo_share))
        return lines

    def customer(
        self, s: int, regs: simpy.Resource, sco: simpy.Resource
    ) -> Generator[simpy.Event, Any, None]:
        p, rng, env = self.p, self.rng, self.env
        arrived = env.now
        u = rng.random()
        kind = (
            "return" if u < p.return_rate else "cancel" if u < p.return_rate + p.cancel else "sale"
        )
        lines = self.basket() if kind != "return" else [(0, 1, False)]
        if kind == "sale":
            lines = self.take_from_shelf(s, lines)
            if not lines:
                return
        subtotal = 0
        by_class: dict[int, int] = {}
        for sku, qty, promo in lines:
            gross = qty * self.price[sku]
            discount = _mul_round(gross, self.promo) if promo else 0
            net = gross - discount
            subtotal += net
            c = self.tax_class[sku]
            by_class[c] = by_class.get(c, 0) + net
            self.line_records.append({"store": s, "sku": sku, "quantity": qty, "net_minor": net})
        tax = sum(_mul_round(v, self.ratios[c]) for c, v in by_class.items())
        total = subtotal + tax
        tender = self.mix[min(bisect.bisect_right(self.mix_cdf, rng.random()), len(self.mix) - 1)]
        brand, last4, tendered = None, None, total
        if tender in ("credit", "debit"):
            brand = self.brands[
                min(bisect.bisect_right(self.brand_cdf, rng.random()), len(self.brands) - 1)
            ]
            last4 = f"{rng.randrange(10_000):04d}"
        elif tender == "cash" and kind == "sale":
            note = next((n for n in self.notes if n >= total), self.notes[-1])
            tendered = -(-total // note) * note
        self_checkout = kind != "return" and rng.random() < p.self_checkout_share
        lane = sco if self_checkout else regs
        seq = self.sequence[s, self_checkout] = self.sequence.get((s, self_checkout), 0) + 1
        service = p.service_fixed_s + p.service_per_item_s * len(lines)
        if p.service_exponential:
            service = rng.expovariate(1.0 / service)
        with lane.request() as request:
            yield request
            start = env.now
            yield env.timeout(service)
        self.records.append(
            {
                "txn_id": f"{self.world.store_ids[s]}-{'K' if self_checkout else 'R'}-{seq:06d}",
                "store": s,
                "kind": kind,
                "arrived": arrived,
                "wait_s": start - arrived,
                "completed": env.now,
                "subtotal_minor": subtotal,
                "tax_minor": tax,
                "tender": tender,
                "brand": brand,
                "last4": last4,
                "tendered_minor": tendered,
            }
        )

    def take_from_shelf(
        self, s: int, lines: list[tuple[int, int, bool]]
    ) -> list[tuple[int, int, bool]]:
        """Each line gets what the shelf still holds; the rest is a lost sale."""
        kept = []
        for sku, qty, promo in lines:
            key = s * self.skus + sku
            got = min(qty, self.shelf[key])
            self.shelf[key] -= got
            self.lost += qty - got
            if got:
                kept.append((sku, got, promo))
        return kept


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, prod = math.exp(-lam), 0, rng.random()
    while prod > limit:
        k += 1
        prod *= rng.random()
    return k


def _mul_round(amount: int, ratio: tuple[int, int]) -> int:
    q, r = divmod(amount * ratio[0], ratio[1])
    return q + (2 * r >= ratio[1])
