"""Store traffic simulator: the ground truth of a trading period.

World building (`build_world`), the fast path to Parquet (`simulate_traffic`), a
time-ordered stream of POS events for live runs (`iter_events`), and the naive SimPy model
kept as reference and benchmark baseline (`naive_simpy_traffic`).

Example::

    import scenarios, simulator
    summary = simulator.simulate_traffic(scenarios.load("grocery-chain"), Path("runs/demo"))
"""

from simulator.errors import ScenarioUnsupported, SimulatorError
from simulator.events import PosEvent, iter_events
from simulator.naive import NaiveResult, naive_simpy_traffic, simpy_fifo_waits
from simulator.params import Params
from simulator.queueing import erlang_c_wait
from simulator.summary import LaneStats, TrafficSummary
from simulator.traffic import simulate_traffic
from simulator.world import World, build_world

__all__ = [
    "LaneStats",
    "NaiveResult",
    "Params",
    "PosEvent",
    "ScenarioUnsupported",
    "SimulatorError",
    "TrafficSummary",
    "World",
    "build_world",
    "erlang_c_wait",
    "iter_events",
    "naive_simpy_traffic",
    "simpy_fifo_waits",
    "simulate_traffic",
]
