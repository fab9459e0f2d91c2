"""`simulate_integration`: the capacity model over a run directory's truth tables.

Reads ``truth/`` (written by `simulator.simulate_traffic`), runs the fast path, and writes
the live run's tables plus ``capacity.json`` (see `simulator.integration.headline`).
"""

from __future__ import annotations

import dataclasses
import json
import pickle
import time
from pathlib import Path
from typing import Any

import numpy as np

from domain.rundir import RunMeta
from simulator.integration.config import ModelConfig, ModelOptions
from simulator.integration.drift import drift_series, load_moves
from simulator.integration.fast import run_fast
from simulator.integration.headline import headline
from simulator.integration.stream import load_stream
from simulator.integration.tables import connector_samples, write_tables

__all__ = ["SAMPLE_STEP_S", "save_moves", "simulate_integration"]

SAMPLE_STEP_S = 60.0
"""one stock and connector sample per simulated minute"""


def simulate_integration(
    scenario: Any,
    run_dir: Path,
    *,
    options: ModelOptions | None = None,
    step_s: float = SAMPLE_STEP_S,
    tables: bool = True,
    moves_from: Path | None = None,
) -> dict[str, Any]:
    """Run the integration model on ``run_dir``'s truth; returns the capacity figures.

    ``tables=False`` writes only ``capacity.json`` and ``run.json`` (a sweep point, judged
    from its figures). ``moves_from`` is a file of `save_moves` for the same truth tables
    (every point of a sweep shares them; reading the lines again is the slow part).

    Example::

        simulate_traffic(scenario, run_dir)
        figures = simulate_integration(scenario, run_dir)
        figures["sync_latency_s"]["p95"], figures["api_calls_per_sale"]
    """
    started = time.perf_counter()
    run_dir = Path(run_dir)
    config = ModelConfig.from_scenario(scenario, options)
    duration = scenario.duration.total_seconds()
    stream = load_stream(run_dir, config, seed=int(scenario.seed), stores=scenario.chain.stores)
    outcome = run_fast(stream, config)
    model_s = time.perf_counter() - started
    horizon = max(duration, outcome.end_t)
    if not tables and moves_from is not None and Path(moves_from).is_file():
        with Path(moves_from).open("rb") as fh:
            moves = pickle.load(fh)  # written by save_moves, in this sweep's own directory
    else:
        moves = load_moves(run_dir, stream)
    drift = drift_series(moves, outcome.committed, step=step_s, horizon=horizon)
    samples = connector_samples(stream, outcome, drift.t)
    figures = headline(
        stream=stream,
        outcome=outcome,
        drift=drift,
        config=config,
        duration_s=duration,
        backlog=samples["backlog"],
        stock_pairs=len(moves.base_pair),
        stock_units=int(moves.base_qty.sum()),
    )
    if tables:
        write_tables(
            run_dir,
            stream=stream,
            outcome=outcome,
            drift=drift,
            moves=moves,
            config=config,
            currency=str(scenario.currency),
            connector=samples,
        )
    figures["elapsed_s"] = {"model": model_s, "total": time.perf_counter() - started}
    (run_dir / "capacity.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    _run_json(run_dir, scenario, config, figures)
    return figures


def save_moves(scenario: Any, run_dir: Path, out: Path) -> None:
    """Read the stock-moving lines of ``run_dir``'s truth once into ``out`` for the
    ``moves_from`` of every `simulate_integration` over the same truth (they do not depend
    on the integration or ERP settings: POS documents come first in every stream), without
    the line details only the document tables need (``tables=False`` runs only)."""
    config = ModelConfig.from_scenario(scenario)
    stream = load_stream(run_dir, config, seed=int(scenario.seed), stores=scenario.chain.stores)
    moves = load_moves(run_dir, stream)
    none = np.zeros(0, dtype=np.int64)
    # the lines' prices and numbers serve the document tables, which sweep points skip
    slim = dataclasses.replace(
        moves,
        line_no=none,
        quantity=none,
        unit_price=none,
        discount=none,
        tax_rate=np.zeros(0),
    )
    with Path(out).open("wb") as fh:
        pickle.dump(slim, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _run_json(run_dir: Path, scenario: Any, config: ModelConfig, figures: dict[str, Any]) -> None:
    RunMeta(
        kind="simulation",
        run_id=run_dir.name,
        scenario=scenario.name,
        seed=int(scenario.seed),
        connector={"name": f"model:{config.mode}", "command": None, "url": None},
        wall_clock=False,
        sim_start=scenario.start.isoformat(),
        traffic_end_t=figures["traffic_end_t"],
        quiesce_end_t=figures["quiesce_end_t"],
        urls={},
        erp={"kind": "model"},
        pos={"kind": "model"},
        model={"workers": config.options.workers, "sample_step_s": SAMPLE_STEP_S},
    ).write(run_dir)
