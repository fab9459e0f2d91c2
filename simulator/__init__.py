"""Store traffic simulator: the ground truth of a trading period.

Public API:

- `build_world(scenario, *, seed=None) -> World`: catalog, stores, lanes, cashiers and
  loyalty customers, built once per scenario (Faker pools, numpy draws).
- `simulate_traffic(scenario, out_dir, *, seed=None, progress=None) -> TrafficSummary`:
  the fast path; writes ``out_dir/scenario.yaml`` and ``out_dir/truth/*.parquet`` (schemas
  in `domain.rundir.truth`); ``progress(done, total)`` after each chunk (day × batch of stores).
- `iter_events(scenario, *, seed=None) -> Iterator[PosEvent]`: the same documents as
  `domain` objects in completion-time order, for live runs.
- `erlang_c_wait`: the queueing formula the tests compare the checkout queues with (the
  one-process-per-customer SimPy baseline lives in ``benchmarks/naive_simpy.py``).

Pipeline of a chunk (`simulator.engine`): arrivals (`arrivals`) → baskets and shelves
(`baskets`, `shop`, `stock`) → lines, voids and checkout queues (`receipts`, `checkout`,
`queueing`) → receipt numbers, returns (`refunds`, `returns`) → money (`pricing`,
`money`) → tenders and notes (`payment`, `tenders`) → Arrow tables (`tables`) → Parquet
(`output`).

Example::

    from pathlib import Path
    import scenarios, simulator

    summary = simulator.simulate_traffic(scenarios.load("grocery-chain"), Path("runs/demo"))
    print(summary.transactions, summary.queues["staffed"].p95_wait_s)
"""

from simulator.errors import ScenarioUnsupported, SimulatorError
from simulator.events import PosEvent, iter_events
from simulator.params import Params
from simulator.queueing import erlang_c_wait
from simulator.summary import LaneStats, TrafficSummary
from simulator.traffic import simulate_traffic
from simulator.world import World, build_world

__all__ = [
    "LaneStats",
    "Params",
    "PosEvent",
    "ScenarioUnsupported",
    "SimulatorError",
    "TrafficSummary",
    "World",
    "build_world",
    "erlang_c_wait",
    "iter_events",
    "simulate_traffic",
]
