"""The run-directory contract: every table a run directory can hold, and ``run.json``.

Producers (the simulator, the live harness, the capacity model, load runs) write
``OUT/<run>/<table>.parquet`` files; ``reports`` reads them. This package is the one place
that says what those files hold — written once, used by every writer and reader, and
rendered as ``docs/run-tables.md`` (``python -m domain.rundir --markdown``).

- `TABLES`: every `Table` by name (``truth/transactions``): grain, `Column` s with Arrow
  type, unit and meaning, the `Producer` s that write it and what verification makes of it
  (`Need`). The definitions live by area: `domain.rundir.truth`, `harness` (driver,
  faults), `journals`, `pos`, `erp`, `samples`; `files` lists the files that are not tables.
- `write_table(run_dir, name, data)` / `TableWriter` (chunks) / `conform`: producers hand
  over rows, columns or an Arrow table; it is checked and cast to the contract's schema, or
  refused with a `ContractError` naming table, column and problem.
- `read_table(run_dir, name, columns)` / `check_schema`: read back with the contract's
  checks (missing, corrupt or wrong-kind columns are one `ContractError`).
- `RunMeta`: ``run.json`` as a typed record; unknown keys are preserved (`RunMeta.extra`).

Example::

    from domain.rundir import RunMeta, read_table, write_table

    write_table(run_dir, "erp/items", [{"sku": "A-1", "unit_price_minor": 199, "name": "A"}])
    read_table(run_dir, "erp/items", ["sku", "unit_price_minor"])
    RunMeta(run_id=run_dir.name, speed=60.0).write(run_dir)
"""

from domain.rundir._kinds import kind
from domain.rundir._markdown import markdown
from domain.rundir._model import Column, Need, Producer, Table
from domain.rundir._read import check_schema, read_schema, read_table
from domain.rundir._registry import LIVE_TABLES, REQUIRED, TABLES, table
from domain.rundir._write import Data, TableWriter, conform, write_table
from domain.rundir.errors import ContractError
from domain.rundir.files import FILES, File
from domain.rundir.meta import RunMeta

__all__ = [
    "FILES",
    "LIVE_TABLES",
    "REQUIRED",
    "TABLES",
    "Column",
    "ContractError",
    "Data",
    "File",
    "Need",
    "Producer",
    "RunMeta",
    "Table",
    "TableWriter",
    "check_schema",
    "conform",
    "kind",
    "markdown",
    "read_schema",
    "read_table",
    "table",
    "write_table",
]
