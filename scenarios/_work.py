"""How much work a scenario asks for, from its numbers alone, and whether it fits here.

`estimate_work` counts what a run would produce — transactions, basket lines, stock
ledgers — the way the traffic model draws them (``customers_per_store_day × 7 × weekday
share × multiplier × event multiplier`` per store and calendar day, spread over the
opening hours by the hourly profile, only the part inside the simulated window), and turns
the counts into the memory each kind of run needs with `MemoryCosts`. `check_work` refuses,
in one line that says what to change, a scenario that would not fit in the memory this
machine has free, so a run fails before it starts instead of in a `MemoryError` an hour in.

Example::

    work = scenarios.estimate_work(scenario)
    work.transactions, work.memory_bytes("simulate")
    scenarios.check_work(scenario, run="live", source="bf.yaml")   # ScenarioError if too big
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal

from ._errors import ScenarioError
from ._profiles import profile_weights
from ._scenario import Scenario

__all__ = [
    "MAX_TRANSACTIONS",
    "MemoryCosts",
    "Run",
    "Work",
    "available_memory",
    "check_work",
    "estimate_work",
]

Run = Literal["traffic", "simulate", "live"]
"""``traffic``: ``tillbench simulate --traffic-only`` (the ground truth alone);
``simulate``: the ground truth and the capacity model; ``live``: ``tillbench run`` (the
ground truth, then every transaction held by the driver)."""

MAX_TRANSACTIONS = 1_000_000_000
"""More transactions than one run simulates, whatever the machine (a billion)."""
_HOUR = timedelta(hours=1)
_DAY = timedelta(days=1)
_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class MemoryCosts:
    """Bytes of memory per unit of work, by what holds them.

    Fitted to peak RSS (``/usr/bin/time -f %M tillbench simulate grocery-chain
    [--traffic-only] --set …``) of 15 runs over 1–5,000 stores, 100–50,000 SKUs, 0–2,000,000
    loyalty customers, baskets of 1–7 lines and periods of 1 h–28 d (CPython 3.11, x86-64),
    so that no estimate fell below what was measured (they came out 1.0–1.8 times it), and
    to the driver's transactions measured with ``tracemalloc`` for live runs.
    """

    base: int = 230 * _MIB
    """Python with numpy, pyarrow, pandas and Faker loaded, the world built."""
    per_store_sku: int = 240
    """Stock ledgers (physical, POS book, receipts, …) of every store × SKU, kept all run,
    and the final stock table written from them."""
    per_loyalty_customer: int = 190
    """The loyalty-customer pool."""
    per_chunk_transaction: int = 470
    per_chunk_line: int = 140
    """The simulator's working set: one calendar day of a batch of `chunk_stores` stores at
    a time, twice over once there are several (memory of the last one is not all returned
    when the next one peaks)."""
    chunk_stores: int = 100
    """Stores simulated together (the simulator's ``BATCH_STORES``)."""
    per_line: int = 36
    """What the traffic simulation keeps per receipt line until the end (receipts returns
    may still refer to, summaries)."""
    per_model_transaction: int = 2_200
    """The capacity model: every document, its timings and the engines' queues."""
    per_live_transaction: int = 8_500
    """A live run: the driver builds every transaction's request body before the run."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Work:
    """The expected size of one run of a scenario (counts are expectations, not draws)."""

    stores: int
    skus: int
    loyalty_customers: int
    days: int
    """Calendar days the simulated period touches."""
    transactions: int
    """Customers at the tills over the whole period: sales, returns and cancelled sales."""
    lines: int
    """Receipt lines of those transactions (items, voided lines, returned items)."""
    peak_day_transactions: int
    """Transactions of the busiest calendar day, all stores together."""
    costs: MemoryCosts = MemoryCosts()

    @property
    def store_skus(self) -> int:
        """Stock ledgers kept: one per store × SKU."""
        return self.stores * self.skus

    def memory_bytes(self, run: Run = "simulate") -> int:
        """Estimated peak memory of ``run`` (see `Run`)."""
        c = self.costs
        batches = -(-self.stores // c.chunk_stores)
        share = (
            min(self.stores, c.chunk_stores) / self.stores * (2 if self.days * batches > 1 else 1)
        )
        lines_per_transaction = self.lines / self.transactions if self.transactions else 0.0
        chunk = self.peak_day_transactions * share
        traffic = (
            c.base
            + c.per_store_sku * self.store_skus
            + c.per_loyalty_customer * self.loyalty_customers
            + chunk * (c.per_chunk_transaction + c.per_chunk_line * lines_per_transaction)
            + c.per_line * self.lines
        )
        extra = {"traffic": 0, "simulate": c.per_model_transaction, "live": c.per_live_transaction}
        return math.ceil(traffic + extra[run] * self.transactions)

    def describe(self, run: Run = "simulate") -> str:
        """``about 1.2 million transactions (8.1 million lines) in 100 stores over 7 days,
        about 4.3 GB of memory``."""
        days = "1 day" if self.days == 1 else f"{self.days:,} days"
        return (
            f"about {_count(self.transactions)} transactions ({_count(self.lines)} lines) in "
            f"{self.stores:,} stores over {days}, about {_size(self.memory_bytes(run))} of memory"
        )


def _count(n: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if n >= size:
            return f"{n / size:.1f} {word}"
    return f"{round(n):,}"


def _size(n: float) -> str:
    for size, unit in ((1024**4, "TB"), (1024**3, "GB"), (1024**2, "MB")):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n / 1024:.0f} KB"


def _hours_inside(day: date, scenario: Scenario) -> list[float]:
    """Per hour of ``day``: the share of the hour's open time inside the simulated window."""
    midnight = datetime.combine(day, time())
    opens, closes = scenario.chain.hours.opens, scenario.chain.hours.closes
    start, end = scenario.start - midnight, scenario.end - midnight
    shares = []
    for hour in range(24):
        lo, hi = max(hour * _HOUR, opens), min((hour + 1) * _HOUR, closes)
        if hi <= lo:
            shares.append(0.0)
            continue
        inside = min(hi, end) - max(lo, start)
        shares.append(max(inside, timedelta(0)) / (hi - lo))
    return shares


def _day_weights(scenario: Scenario) -> list[float]:
    """Share of the day's customers in each hour: the profile over the opening hours."""
    opens, closes = scenario.chain.hours.opens, scenario.chain.hours.closes
    open_part = [
        max(min((h + 1) * _HOUR, closes) - max(h * _HOUR, opens), timedelta(0)) / _HOUR
        for h in range(24)
    ]
    shares = [
        w * part for w, part in zip(profile_weights(scenario.traffic), open_part, strict=True)
    ]
    total = math.fsum(shares)
    return [share / total for share in shares] if total > 0 else shares


def _customers_per_day(scenario: Scenario) -> list[float]:
    """Expected customers of a store of size 1.0 on each calendar day of the period."""
    traffic = scenario.traffic
    weights = _day_weights(scenario)
    first, last = scenario.start.date(), (scenario.end - timedelta(microseconds=1)).date()
    days = (last - first).days + 1
    per_day = []
    for index in range(days):
        day = first + timedelta(days=index)
        if 0 < index < days - 1:
            inside = 1.0
        else:
            inside = math.fsum(
                w * s for w, s in zip(weights, _hours_inside(day, scenario), strict=True)
            )
        event = traffic.event_on(day)
        level = (
            traffic.customers_per_store_day
            * 7
            * traffic.weekday[day.weekday()]
            * traffic.multiplier
            * (event.multiplier if event is not None else 1.0)
        )
        per_day.append(level * inside)
    return per_day


def _mean_basket(median: float, sigma: float, max_items: int) -> float:
    """Mean lines of a sale: a Poisson-lognormal basket without empty baskets, capped."""
    step, capped, empty = 0.05, 0.0, 0.0
    for k in range(-160, 161):  # z from -8 to 8
        z = k * step
        density = math.exp(-z * z / 2) / math.sqrt(2 * math.pi) * step
        rate = median * math.exp(sigma * z)
        capped += min(rate, max_items) * density
        empty += math.exp(-rate) * density
    return min(float(max_items), capped / max(1.0 - empty, 1e-12))


def estimate_work(scenario: Scenario, *, costs: MemoryCosts | None = None) -> Work:
    """The expected size of a run of ``scenario``; takes milliseconds, whatever its size."""
    per_day = _customers_per_day(scenario)
    stores = scenario.chain.stores
    transactions = stores * math.fsum(per_day)
    basket = scenario.basket
    returns = scenario.returns.rate
    basket_lines = _mean_basket(basket.items.median, basket.items.sigma, basket.max_items)
    # a sale or cancelled sale: its basket, plus the voided copy of a line now and then;
    # a return: one line
    per_transaction = (1.0 - returns) * (basket_lines + scenario.voids.line_void) + returns
    return Work(
        stores=stores,
        skus=scenario.catalog.skus,
        loyalty_customers=scenario.chain.loyalty_customers,
        days=len(per_day),
        transactions=round(transactions),
        lines=round(transactions * per_transaction),
        peak_day_transactions=round(stores * max(per_day, default=0.0)),
        costs=costs or MemoryCosts(),
    )


def _cgroup_limit() -> int | None:
    for path, used in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ):
        try:
            limit = Path(path).read_text().strip()
            current = int(Path(used).read_text().strip())
        except (OSError, ValueError):
            continue
        if limit.isdigit() and int(limit) < 2**60:
            return max(0, int(limit) - current)
    return None


def _meminfo_available() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def available_memory() -> int | None:
    """Bytes of memory free for a run on this machine (the smaller of the system's available
    memory and the container's limit), None when the system does not say."""
    found = [n for n in (_meminfo_available(), _cgroup_limit()) if n is not None]
    if not found:
        try:
            found = [os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")]
        except (ValueError, OSError, AttributeError):
            return None
    return min(found)


def _fits(work: Work, run: Run, budget: float) -> bool:
    return work.transactions <= MAX_TRANSACTIONS and work.memory_bytes(run) <= budget


def _with_stores(scenario: Scenario, stores: int) -> Scenario:
    chain = scenario.chain.model_copy(update={"stores": stores})
    return scenario.model_copy(update={"chain": chain})


def _with_hours(scenario: Scenario, hours: int) -> Scenario:
    return scenario.model_copy(update={"duration": hours * _HOUR})


def _largest(
    scenario: Scenario,
    change: Callable[[Scenario, int], Scenario],
    upper: int,
    fits: Callable[[Scenario], bool],
) -> int:
    """The largest ``n`` ≤ ``upper`` for which ``change(scenario, n)`` fits (0 if none);
    the work grows with ``n``, so a bisection finds it."""
    lo, hi = 0, upper
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits(change(scenario, mid)) else (lo, mid - 1)
    return lo


def check_work(
    scenario: Scenario,
    *,
    run: Run = "simulate",
    source: str | None = None,
    available: int | None = None,
    costs: MemoryCosts | None = None,
    headroom: float = 0.8,
) -> Work:
    """The scenario's `Work` when ``run`` fits in ``headroom`` of the ``available`` memory
    (default: what `available_memory` finds); else `ScenarioError` with one line naming
    ``source`` (default: the scenario's name), the size, the memory, and what to change.

    Example line::

        bf.yaml: too large for this machine: about 2.4 billion transactions (17.1 billion
        lines) in 100,000 stores over 31 days, about 5.8 TB of memory, and 19.6 GB are free;
        simulate at most 330 stores (--set chain.stores=330) or at most 2h (--set duration=2h)
    """
    costs = costs or MemoryCosts()
    work = estimate_work(scenario, costs=costs)
    free = available if available is not None else available_memory()
    budget = math.inf if free is None else free * headroom
    if _fits(work, run, budget):
        return work
    if work.transactions > MAX_TRANSACTIONS:
        reason = f"more than the {_count(MAX_TRANSACTIONS)} transactions one run simulates"
    else:
        reason = f"and {_size(free or 0)} are free"

    def fits(trial: Scenario) -> bool:
        return _fits(estimate_work(trial, costs=costs), run, budget)

    stores = _largest(scenario, _with_stores, scenario.chain.stores, fits)
    hours = _largest(scenario, _with_hours, int(scenario.duration / _HOUR), fits)
    period = f"{hours // 24}d" if hours >= 48 else f"{hours}h"
    fixes = [f"at most {stores:,} stores (--set chain.stores={stores})"] if stores else []
    fixes += [f"at most {period} (--set duration={period})"] if hours else []
    advice = f"simulate {' or '.join(fixes)}" if fixes else "simulate a smaller chain for less time"
    if run == "live" and _fits(work, "simulate", budget):
        advice += ", or answer the question with the capacity model (tillbench simulate)"
    line = f"{source or scenario.name}: too large for this machine: {work.describe(run)}"
    raise ScenarioError([f"{line}, {reason}; {advice}"])
