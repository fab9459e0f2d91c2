"""The largest (and a few smallest) values tillbench accepts in a scenario, in one place.

Each limit is far beyond any real chain, so a scenario that respects them describes
something that exists; what is refused is what no retailer has (a hundred billion stores,
a century of trading) or what would only make the simulator spin (a delivery every
microsecond). Whether a scenario within the limits fits *this* machine is a second
question, answered by `scenarios.estimate_work` from the scenario's size.

===============================  ======================  ==================================
field                            limit                   why
===============================  ======================  ==================================
chain.stores                     ≤ 100,000               more stores than any chain runs
chain.registers, self_checkouts  ≤ 100 each              per store of size 1.0
chain.size_spread                ≤ 2                     sigma of store size (0.35 usual)
chain.cashiers_per_register      ≤ 10
chain.loyalty_customers          ≤ 10,000,000
catalog.skus                     ≤ 1,000,000             a supercenter carries ~120,000
catalog.categories               ≤ 10,000
catalog.popularity.zipf          ≤ 10
catalog.price.median             ≤ 10,000,000            currency units (large for JPY, IDR)
catalog.price.sigma              ≤ 3
catalog.price.endings            ≤ 100 entries
catalog.tax_classes              ≤ 100 entries
traffic.customers_per_store_day  ≤ 100,000
traffic.multiplier, events[].    ≤ 100                   Black Friday is 2–3× a normal day
multiplier
traffic.hourly weights           ≤ 1,000,000 each        relative weights
traffic.events                   ≤ 1,000 entries
basket.items.median              ≤ 1,000
basket.items.sigma               ≤ 3
basket.max_items, quantity.max   ≤ 10,000
integration.max_batch,           ≤ 10,000
erp.batch.max_operations
integration.retry.attempts       ≤ 1,000
integration.interval             ≥ 1s
inventory.days_of_cover,         ≤ 3,650
replenishment.target_days
inventory.replenishment.every    ≥ 1h
erp.concurrency                  ≤ 10,000
erp.queue                        ≤ 1,000,000
erp.window.requests              ≤ 1,000,000,000
erp.latency.load_factor          ≤ 100
slo counts (missing, …)          ≤ 1,000,000,000
faults                           ≤ 1,000 entries
seed                             < 2⁶³                   stored as a 64-bit integer
speed                            ≤ 86,400                a simulated day per wall second
every duration                   ≤ 3650d                 ten years
duration text                    ≤ 100 characters
start … start + duration         1970-01-01 to 2200-01-01
name                             ≤ 100 characters, no control characters
description                      ≤ 10,000 characters
===============================  ======================  ==================================

Every number must also be finite: ``.inf`` and ``.nan`` are refused everywhere.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

__all__ = [
    "EARLIEST_START",
    "LATEST_END",
    "MAX_BASKET_MEDIAN",
    "MAX_BATCH",
    "MAX_CASHIERS_PER_REGISTER",
    "MAX_CATEGORIES",
    "MAX_COUNT",
    "MAX_CUSTOMERS_PER_STORE_DAY",
    "MAX_DAYS_OF_COVER",
    "MAX_DESCRIPTION",
    "MAX_DURATION",
    "MAX_DURATION_TEXT",
    "MAX_ENTRIES",
    "MAX_ERP_CONCURRENCY",
    "MAX_ERP_QUEUE",
    "MAX_ERP_WINDOW_REQUESTS",
    "MAX_ITEMS",
    "MAX_LANES",
    "MAX_LIST",
    "MAX_LOAD_FACTOR",
    "MAX_LOYALTY_CUSTOMERS",
    "MAX_MULTIPLIER",
    "MAX_NAME",
    "MAX_PRICE",
    "MAX_RETRY_ATTEMPTS",
    "MAX_SEED",
    "MAX_SIGMA",
    "MAX_SIZE_SPREAD",
    "MAX_SKUS",
    "MAX_SPEED",
    "MAX_STORES",
    "MAX_WEIGHT",
    "MAX_ZIPF",
    "MIN_INTERVAL",
    "MIN_REPLENISHMENT",
]

MAX_STORES: Final = 100_000
MAX_LANES: Final = 100
MAX_SIZE_SPREAD: Final = 2.0
MAX_CASHIERS_PER_REGISTER: Final = 10.0
MAX_LOYALTY_CUSTOMERS: Final = 10_000_000
MAX_SKUS: Final = 1_000_000
MAX_CATEGORIES: Final = 10_000
MAX_ZIPF: Final = 10.0
MAX_PRICE: Final = 10_000_000.0
MAX_SIGMA: Final = 3.0
MAX_LIST: Final = 100
"""Entries of small lists and mappings (price endings, tax classes)."""
MAX_CUSTOMERS_PER_STORE_DAY: Final = 100_000.0
MAX_MULTIPLIER: Final = 100.0
MAX_WEIGHT: Final = 1_000_000.0
MAX_ENTRIES: Final = 1_000
"""Entries of the timelines: faults, traffic events."""
MAX_BASKET_MEDIAN: Final = 1_000.0
MAX_ITEMS: Final = 10_000
MAX_BATCH: Final = 10_000
MAX_RETRY_ATTEMPTS: Final = 1_000
MIN_INTERVAL: Final = timedelta(seconds=1)
MAX_DAYS_OF_COVER: Final = 3_650.0
MIN_REPLENISHMENT: Final = timedelta(hours=1)
MAX_ERP_CONCURRENCY: Final = 10_000
MAX_ERP_QUEUE: Final = 1_000_000
MAX_ERP_WINDOW_REQUESTS: Final = 1_000_000_000
MAX_LOAD_FACTOR: Final = 100.0
MAX_COUNT: Final = 1_000_000_000
"""Objectives that count documents (missing, duplicates, …)."""
MAX_SEED: Final = 2**63 - 1
MAX_SPEED: Final = 86_400.0
MAX_DURATION: Final = timedelta(days=3650)
MAX_DURATION_TEXT: Final = 100
EARLIEST_START: Final = datetime(1970, 1, 1)
LATEST_END: Final = datetime(2200, 1, 1)
MAX_NAME: Final = 100
MAX_DESCRIPTION: Final = 10_000
