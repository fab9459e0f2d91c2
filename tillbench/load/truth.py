"""The truth of a load run: what the POS accepted, as the simulator's ``truth/`` tables.

Locust's registers replay the simulator's day over and over, every pass and process with
its own id tag (``loadtests/stream.py``), and note each transaction the POS accepted with
its simulator id (``base_id``). The simulator's truth of one pass is simulated again here
(same scenario, same seed) and every accepted transaction takes its rows with the tagged
id — ``original_txn_id`` retagged alike — and ``t`` = acceptance wall time − ``wall_origin``
(the run's clock runs at speed 1). `reports.verify` then checks the ERP against it.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from domain.rundir import write_table
from tillbench.load.e2e import Accept
from tillbench.load.errors import LoadError

__all__ = ["COPIED", "write_truth"]

COPIED = ("catalog", "customers", "stores", "registers", "cashiers")
"""Truth tables taken over as they are (master data)."""


def _suffix(accept: Accept) -> str:
    if not accept.base_id or not accept.txn_id.startswith(f"{accept.base_id}-"):
        raise LoadError(
            f"accepted transaction {accept.txn_id!r} does not extend its simulator id "
            f"{accept.base_id!r}; were the acceptances written by an older loadtests/?"
        )
    return accept.txn_id[len(accept.base_id) + 1 :]


def _retag(column: pa.ChunkedArray, suffixes: pa.Array) -> pa.Array:
    return pc.if_else(
        pc.is_null(column), column, pc.binary_join_element_wise(column, suffixes, "-")
    )


def _expand(
    table: pa.Table, accepts: Sequence[Accept], suffixes: list[str], origin: float
) -> pa.Table:
    """One copy of ``table``'s rows per acceptance of their ``txn_id``, retagged."""
    rows_of: dict[str, list[int]] = {}
    for i, base in enumerate(table.column("txn_id").to_pylist()):
        rows_of.setdefault(base, []).append(i)
    take: list[int] = []
    tags: list[str] = []
    walls: list[float] = []
    for accept, suffix in zip(accepts, suffixes, strict=True):
        for i in rows_of.get(accept.base_id, ()):
            take.append(i)
            tags.append(suffix)
            walls.append(accept.wall - origin)
    out = table.take(pa.array(take, type=pa.int64()))
    tag_array = pa.array(tags, type=pa.string())
    for name in ("txn_id", "original_txn_id"):
        if name in out.column_names:
            column = out.column(name).cast(pa.string())
            index = out.column_names.index(name)
            out = out.set_column(index, name, _retag(column, tag_array))
    if "t" in out.column_names:
        out = out.set_column(
            out.column_names.index("t"), "t", pa.array(walls, type=out.schema.field("t").type)
        )
    return out


def write_truth(
    run_dir: Path, *, scenario: Any, seed: int | None, accepts: Sequence[Accept], wall_origin: float
) -> dict[str, int]:
    """Write ``run_dir/truth/`` for ``accepts``; returns row counts by table."""
    from simulator import simulate_traffic

    suffixes = [_suffix(a) for a in accepts]
    target = run_dir / "truth"
    target.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="tillbench-truth-") as scratch:
        simulate_traffic(scenario, Path(scratch), seed=seed)
        source = Path(scratch) / "truth"
        for name in ("transactions", "lines", "tenders"):
            table = _expand(
                pq.read_table(source / f"{name}.parquet"), accepts, suffixes, wall_origin
            )
            write_table(run_dir, f"truth/{name}", table)
            counts[f"truth/{name}"] = table.num_rows
        for name in COPIED:
            if (source / f"{name}.parquet").is_file():
                shutil.copyfile(source / f"{name}.parquet", target / f"{name}.parquet")
    return counts
