"""What a fixture seeds its mock with: a scenario's world, opening stock and traffic.

The same tables a live run loads (`tillbench.live.seed`): items with prices, one location
per store, customers and the opening stock per store and SKU, built once per resolved
scenario and kept for the session (building them simulates the scenario's traffic once,
a few hundred milliseconds for ``demo``). The scenario's transactions, as the live driver
sends them to the POS, are made on first use.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tillbench.testing.errors import SetupError

__all__ = ["SeedData", "load_scenario", "seed_data"]


def load_scenario(source: Any, overrides: Mapping[str, object] | None = None) -> Any:
    """A bundled scenario's name, a YAML path or a scenario object, with dotted
    ``overrides`` (``{"chain.stores": 2}``); `SetupError` with every problem on one line each."""
    import scenarios

    try:
        scenario = source if hasattr(source, "with_overrides") else scenarios.load(str(source))
        if overrides:
            scenario = scenarios.override(scenario, dict(overrides))
    except scenarios.ScenarioError as exc:
        raise SetupError("\n".join(exc.lines)) from None
    return scenario


@dataclasses.dataclass(frozen=True, eq=False)
class SeedData:
    """The world a scenario's mocks start with (the same for the POS and the ERP)."""

    scenario: Any
    world: Any
    stock: list[tuple[str, str, int]]
    """(store id, SKU, units) of the opening stock."""

    @property
    def stores(self) -> list[str]:
        return [str(s) for s in self.world.store_ids]

    @property
    def skus(self) -> list[str]:
        return [str(s) for s in self.world.catalog.sku_ids]

    @functools.cached_property
    def transactions(self) -> list[dict[str, Any]]:
        """The scenario's POS transactions in completion order, as the live driver sends
        them to ``/driver/v1/transactions`` (``txn_id`` is the order's ``reference_id``)."""
        import simulator
        from tillbench.live.payloads import transaction_payload

        zone = self.scenario.zone
        return [
            transaction_payload(event.kind, event.document, zone=zone)
            for event in simulator.iter_events(self.scenario)
        ]


_CACHE: dict[str, SeedData] = {}
_CACHE_SIZE = 8


def seed_data(scenario: Any) -> SeedData:
    """The `SeedData` of ``scenario``, built once per resolved scenario in this process."""
    import scenarios
    import simulator
    from tillbench.live.seed import opening_stock

    key = scenarios.dump(scenario)
    found = _CACHE.get(key)
    if found is not None:
        return found
    with tempfile.TemporaryDirectory(prefix="tillbench-seed-") as tmp:
        simulator.simulate_traffic(scenario, Path(tmp))
        stock = opening_stock(Path(tmp))
    made = SeedData(scenario=scenario, world=simulator.build_world(scenario), stock=stock)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = made
    return made
