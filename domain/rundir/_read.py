"""Read a table back with the contract's checks: `check_schema`, `read_table`.

A missing column, a column of the wrong kind (text where the contract has a number) and a
file that is not Parquet (or a corrupt one) are one `ContractError` naming the file, the
column and the problem — in one line that never quotes the file's bytes (Arrow's own
messages can: only their first phrase is kept). Columns of the same kind in another type
read fine (``_kinds``); columns the contract does not know are read unchecked, as are
tables it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from domain.rundir._kinds import NAMES, kind, readable
from domain.rundir._registry import TABLES
from domain.rundir.errors import ContractError

__all__ = ["DOCS", "check_schema", "read_schema", "read_table"]

DOCS = "docs/run-tables.md lists the columns of each table"


def check_schema(
    name: str,
    schema: pa.Schema,
    *,
    where: str | None = None,
    columns: Collection[str] | None = None,
    needed: Collection[str] = (),
) -> None:
    """Raise `ContractError` if ``schema`` cannot be read as table ``name``.

    ``needed`` columns must be present; the present ones among ``columns`` (default: all)
    must be of their contract kind. ``where`` names the file in the message.
    """
    where = where or f"{name}.parquet"
    for column in needed:
        if column not in schema.names:
            raise ContractError(where, f"column {column} is missing; {DOCS}", column=column)
    spec = TABLES.get(name)
    if spec is None:
        return
    checked = schema.names if columns is None else [c for c in columns if c in schema.names]
    for column in checked:
        contract = spec.column(column)
        if contract is None:
            continue
        found = schema.field(column).type
        if not readable(found, contract.type):
            raise ContractError(
                where,
                f"column {column} is {found}, expected {NAMES.get(kind(contract.type))} "
                f"({contract.type}); {DOCS}",
                column=column,
            )


def read_schema(file: Path) -> pa.Schema:
    """The Arrow schema of a Parquet file; `ContractError` if it is not one."""
    try:
        return pq.read_schema(file)
    except (OSError, pa.ArrowException) as error:
        raise ContractError(str(file), unreadable(error)) from None


def read_table(
    run_dir: Path,
    name: str,
    columns: Sequence[str] | None = None,
    *,
    needed: Collection[str] = (),
    dictionary: Collection[str] = (),
    check: bool = True,
) -> pa.Table:
    """``run_dir/<name>.parquet`` checked against the contract (`check_schema`).

    ``columns``: only these, the absent ones left out (default: every column); ``needed``:
    columns that must be there; ``dictionary``: string columns to read dictionary encoded
    (each distinct value decoded once); ``check=False`` skips the column kinds (a scan of
    every text column, whatever the table). A missing file is a `ContractError` too.
    """
    file = Path(run_dir) / f"{name}.parquet"
    if not file.is_file():
        raise ContractError(str(file), "missing", column=None)
    schema = read_schema(file)
    if check:
        check_schema(name, schema, where=str(file), columns=columns, needed=needed)
    wanted = None if columns is None else [c for c in columns if c in schema.names]
    encode = [
        c
        for c in dictionary
        if c in schema.names
        and (wanted is None or c in wanted)
        and pa.types.is_string(schema.field(c).type)
    ]
    try:
        return pq.read_table(file, columns=wanted, read_dictionary=encode or None)
    except (OSError, pa.ArrowException) as error:
        raise ContractError(str(file), unreadable(error)) from None


def unreadable(error: Exception) -> str:
    """``cannot read it as Parquet (REASON)``: the first phrase of Arrow's message, printable
    characters only (what follows a colon may be bytes of the file)."""
    head = re.split(r"[:.\n]", str(error), maxsplit=1)[0]
    reason = "".join(c for c in head if c.isprintable() and c.isascii()).strip()[:100]
    return (
        f"cannot read it as Parquet ({reason or 'unreadable'}): the file is corrupt or not a "
        "table; write the run again or restore the file"
    )
