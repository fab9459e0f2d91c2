"""What the contract is made of: `Column`, `Table`, who writes a table and who needs it.

A table is a flat Parquet file ``<run dir>/<name>.parquet`` with fixed, typed columns.
Its `Table.schema` is the Arrow schema producers write (column order, types, nullability,
the table's description as schema metadata ``doc``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import pyarrow as pa

__all__ = [
    "EPOCH_S",
    "LOCAL_TIME",
    "MINOR",
    "MS",
    "SIM_S",
    "UNITS",
    "Column",
    "Need",
    "Producer",
    "Table",
]

SIM_S = "s (simulated)"
"""Seconds since the scenario start on the simulated clock (t = (wall − wall_origin) × speed)."""
EPOCH_S = "s since 1970 (wall)"
"""Wall-clock epoch seconds (UTC)."""
MINOR = "minor units"
"""Integer money in minor units of the run's currency (cents for USD)."""
UNITS = "units"
"""Stock units (pieces); signed where the column is a movement."""
MS = "ms (wall)"
"""Milliseconds of wall time."""
LOCAL_TIME = "local time"
"""Timestamp in the stores' local wall time, no zone attached (``run.json`` ``timezone``)."""


class Producer(enum.StrEnum):
    """Who writes a table (the markdown names them)."""

    SIMULATOR = "simulator"
    """`simulator.simulate_traffic`: the ground truth (``truth/``)."""
    LIVE = "live harness"
    """`tillbench run` / `demo`: driver, sampler and the end state collected through the
    POS and ERP public APIs."""
    MOCK_POS = "mock POS"
    """The mock POS's own request journal (collected through its admin API)."""
    MOCK_ERP = "mock ERP"
    """The mock ERP's own request journal (collected through its admin API)."""
    MODEL = "capacity model"
    """`simulator.integration` (`tillbench simulate`): the integration without servers."""
    LOAD = "load run"
    """`tillbench load`: the truth of what the POS accepted, the end state, stock samples."""


class Need(enum.StrEnum):
    """What verification (`reports.verify`) makes of a table."""

    REQUIRED = "required"
    """Verification refuses a run directory without it (a usage error)."""
    OPTIONAL = "optional"
    """Read when present; without it a figure stays unmeasured and the verdict says so."""
    UNUSED = "not read"
    """Not read by verification (the report, export or the card scan may read it)."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, Arrow type, unit and meaning.

    Example::

        Column("committed_t", pa.float64(), "(created_wall − wall_origin) × speed", SIM_S)
    """

    name: str
    type: pa.DataType
    doc: str
    unit: str = ""
    writers: tuple[Producer, ...] | None = None
    """Who writes the column when not every producer of its table does (then it is
    optional: a producer may leave it out); ``()``: no bundled producer writes it, readers
    use it when present."""
    nullable: bool = True
    """False: every row has a value (the truth's keys and amounts)."""

    @property
    def optional(self) -> bool:
        """Some producers leave the column out."""
        return self.writers is not None

    @property
    def field(self) -> pa.Field:
        """The Arrow field producers write."""
        return pa.field(self.name, self.type, nullable=self.nullable)


@dataclass(frozen=True, slots=True)
class Table:
    """One table of a run directory: ``<name>.parquet``, its grain, columns and producers."""

    name: str
    """Path of the file in the run directory without ``.parquet``: ``truth/transactions``."""
    grain: str
    """What one row is: ``one row per POS document``."""
    columns: tuple[Column, ...]
    producers: tuple[Producer, ...]
    verification: Need = Need.UNUSED
    doc: str = ""
    """Definitions and identities the columns follow (longer than the grain)."""

    @property
    def file(self) -> str:
        """``truth/transactions.parquet``: the file, relative to the run directory."""
        return f"{self.name}.parquet"

    @property
    def description(self) -> str:
        """Grain and doc in one paragraph (the schema's ``doc`` metadata)."""
        return f"{self.grain}. {self.doc}" if self.doc else f"{self.grain}."

    @property
    def schema(self) -> pa.Schema:
        """The Arrow schema of the file, every column (optional ones too) in order."""
        return pa.schema([c.field for c in self.columns], metadata={"doc": self.description})

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def schema_for(self, producer: Producer) -> pa.Schema:
        """The columns ``producer`` writes (its optional ones included), in order."""
        return pa.schema(
            [c.field for c in self.columns if c.writers is None or producer in c.writers],
            metadata={"doc": self.description},
        )

    def column(self, name: str) -> Column | None:
        """The column called ``name``, or None if the contract has no such column."""
        return next((c for c in self.columns if c.name == name), None)
