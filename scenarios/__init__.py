"""Scenario files for tillbench: schema, loader and the bundled library.

A scenario describes a retail chain, its traffic and tills, the integration under test,
the ERP's limits, a timeline of faults and the objectives a run must meet. Files are YAML
with human units (``15m``, ``2h``, ``12:00``, ``120ms``); every section is optional and
defaults to figures from REFERENCE.md.

Example::

    import scenarios

    scenario = scenarios.load("black-friday")          # or a path to a .yaml file
    faster = scenario.with_overrides(**{"erp.concurrency": 10})
    print(scenarios.dump(faster))

Errors arrive all at once as `ScenarioError.lines`, e.g.
``bf.yaml: erp.concurrency: must be ≥ 1, got 0``. Files are read with limits (size, YAML
aliases, nesting, every size field: `scenarios._limits`), and before a run
``check_work(scenario, run="simulate")`` refuses what would not fit in this machine's memory,
in one line saying what to change (`estimate_work` gives the figures).
"""

from ._checkout import (
    Basket,
    BasketItems,
    CardBrands,
    DataQuality,
    PaymentMix,
    Payments,
    Promotions,
    Quantity,
    Returns,
    Service,
    Voids,
)
from ._clock import FaultTime, HoursRange, TimeOfDay
from ._dump import dump
from ._duration import Duration, format_duration, parse_duration
from ._erp import Erp, ErpBatch, Latency, RequestWindow
from ._errors import ScenarioError
from ._faults import Fault, FaultKind
from ._jsonschema import json_schema
from ._loader import library, library_path, load
from ._operations import Integration, Inventory, Replenishment, Retry
from ._override import override, parse_value
from ._profiles import HOURLY_PROFILES, WEEKDAY_SHARES, Profile, profile_weights
from ._scenario import Scenario
from ._slo import Slo
from ._store import Catalog, Chain, Popularity, Price, TaxClass
from ._traffic import Event, Traffic
from ._work import MemoryCosts, Work, available_memory, check_work, estimate_work

__all__ = [
    "HOURLY_PROFILES",
    "WEEKDAY_SHARES",
    "Basket",
    "BasketItems",
    "CardBrands",
    "Catalog",
    "Chain",
    "DataQuality",
    "Duration",
    "Erp",
    "ErpBatch",
    "Event",
    "Fault",
    "FaultKind",
    "FaultTime",
    "HoursRange",
    "Integration",
    "Inventory",
    "Latency",
    "MemoryCosts",
    "PaymentMix",
    "Payments",
    "Popularity",
    "Price",
    "Profile",
    "Promotions",
    "Quantity",
    "Replenishment",
    "RequestWindow",
    "Retry",
    "Returns",
    "Scenario",
    "ScenarioError",
    "Service",
    "Slo",
    "TaxClass",
    "TimeOfDay",
    "Traffic",
    "Voids",
    "Work",
    "available_memory",
    "check_work",
    "dump",
    "estimate_work",
    "format_duration",
    "json_schema",
    "library",
    "library_path",
    "load",
    "override",
    "parse_duration",
    "parse_value",
    "profile_weights",
]
