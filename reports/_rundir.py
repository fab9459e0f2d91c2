"""`RunDir`: the one reader of a run directory, for verify, the report, compare and export.

Tables are read through the run-directory contract (`domain.rundir`): a missing, corrupt
or wrong-schema table is one `RunDirError` naming the file, the column and the problem.
``run.json`` is read as a `domain.rundir.RunMeta`; ``scenario.yaml`` and ``summary.json``
as plain mappings. Two ways to read a table:

- `RunDir.table` / `RunDir.optional` (verification): Arrow tables, the columns asked for
  (and those the reader was opened to need) must be there; an optional table that is absent
  leaves a note in `RunDir.notes` saying what is not measured without it.
- `RunDir.frame` (report, compare, export): pandas frames, None for an absent table and
  absent columns left out, so every chart can say what it misses.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from domain.rundir import ContractError, RunMeta, read_schema, read_table
from reports._errors import RunDirError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MARKERS", "RunDir"]

MARKERS = ("scenario.yaml", "truth", "sweep.parquet")
"""One of these makes a directory a run (or sweep) directory."""


@dataclass
class RunDir:
    """A run directory opened for reading (module docstring)."""

    path: Path
    meta: RunMeta
    """``run.json`` (empty when there is none)."""
    scenario: Mapping[str, Any]
    """``scenario.yaml`` as plain data (empty when there is none)."""
    needs: Mapping[str, Collection[str]] = field(default_factory=dict)
    """Columns `table` requires of each table, whatever the caller asks for."""
    dictionary: Collection[str] = ()
    """String columns `table` reads dictionary-encoded (looked up once per value)."""
    keep: bool = False
    """Keep the tables `table` reads whole in `read` (verification reuses them)."""
    notes: list[str] = field(default_factory=list)
    """What `optional` could not read, for the verdict."""
    read: dict[Path, pa.Table] = field(default_factory=dict)
    """Tables read whole by `table` (no column selection) when `keep` is set (the card scan
    reuses them)."""

    @classmethod
    def open(
        cls,
        path: Path | str,
        *,
        require: Sequence[str] = (),
        needs: Mapping[str, Collection[str]] | None = None,
        dictionary: Collection[str] = (),
        keep: bool = False,
    ) -> RunDir:
        """Open ``path``; ``require``: tables that must be there (else `RunDirError`).

        Without ``require`` the directory must hold a scenario.yaml, truth/ or a sweep.
        ``needs``, ``dictionary`` and ``keep`` set how `table` reads (see the fields).
        """
        path = Path(path)
        if not path.is_dir():
            raise RunDirError(f"{path}: not a run directory; pass an OUT/<run> directory")
        for name in require:
            if not (path / f"{name}.parquet").is_file():
                raise RunDirError(
                    f"{path}: {name}.parquet is missing; verify a finished live run "
                    "(the harness writes it after the quiesce phase)"
                )
        if not require and not any((path / marker).exists() for marker in MARKERS):
            raise RunDirError(
                f"{path}: no scenario.yaml, truth/ or sweep.parquet; pass a directory "
                "written by tillbench run, simulate or demo"
            )
        try:
            meta = RunMeta.read(path)
        except ContractError as error:
            raise RunDirError(str(error)) from None
        return cls(
            path,
            meta or RunMeta(),
            _mapping(path / "scenario.yaml", yaml.safe_load, "YAML", "a mapping"),
            needs=needs or {},
            dictionary=dictionary,
            keep=keep,
        )

    # -- metadata ---------------------------------------------------------------------------

    @cached_property
    def summary(self) -> Mapping[str, Any] | None:
        """``summary.json`` (a verdict, or a traffic or simulation summary), None if absent."""
        file = self.path / "summary.json"
        if not file.is_file():
            return None
        return _mapping(file, json.loads, "JSON", "a JSON object")

    @property
    def kind(self) -> str:
        """live | simulation | traffic | sweep."""
        if (self.path / "sweep.parquet").is_file():
            return "sweep"
        if self.summary and self.summary.get("kind") == "traffic":
            return "traffic"
        if self.meta.kind is not None:
            return self.meta.kind
        return "traffic" if self.meta.is_empty() else "live"

    @property
    def speed(self) -> float | None:
        """Simulated seconds per wall second: run.json's, else the scenario's, else 1.

        None when the run has no wall clock (a simulation: run.json ``"speed": null``).
        """
        if not self.meta.wall_clock or self.meta.kind == "simulation":
            return None
        if self.meta.speed is not None:
            return self.meta.speed
        value = self.scenario.get("speed", 1.0)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return float(value)
        raise RunDirError(
            f"{self.path / 'scenario.yaml'}: speed: must be a number > 0, got {value!r}"
        )

    @property
    def wall_origin(self) -> float | None:
        return self.meta.wall_origin

    @cached_property
    def start(self) -> pd.Timestamp:
        """The scenario start (local time, naive), t = 0."""
        import pandas as pd

        value = self.scenario.get("start") or self.meta.sim_start
        try:
            return pd.Timestamp(value) if value else pd.Timestamp("2000-01-01")
        except ValueError:
            return pd.Timestamp("2000-01-01")

    # -- tables -----------------------------------------------------------------------------

    def file(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    def has(self, name: str) -> bool:
        return self.file(name).is_file()

    def tables(self) -> list[str]:
        """Every table of the directory by name (``truth/lines``), export/ left out."""
        found = []
        for file in sorted(self.path.rglob("*.parquet")):
            relative = file.relative_to(self.path)
            if relative.parts[0] != "export":
                found.append(relative.with_suffix("").as_posix())
        return found

    def rows(self, name: str) -> int | None:
        """Rows of ``name``.parquet from its footer (None when absent)."""
        file = self.file(name)
        if not file.is_file():
            return None
        self.schema(name)  # the footer parses, or RunDirError naming the file
        return int(pq.read_metadata(file).num_rows)

    def schema(self, name: str) -> pa.Schema:
        """The Arrow schema of ``name``.parquet as stored (nothing checked)."""
        try:
            return read_schema(self.file(name))
        except ContractError as error:
            raise RunDirError(str(error)) from None

    def table(self, name: str, columns: Sequence[str] | None = None) -> pa.Table:
        """``name``.parquet (e.g. ``truth/lines``): every column, or ``columns`` (which, and
        the columns the reader was opened to need, must be there)."""
        needed = [*self.needs.get(name, ()), *(columns or ())]
        table = self._read(name, columns, needed=needed, dictionary=self.dictionary)
        if columns is None and self.keep:
            self.read[self.file(name)] = table
        return table

    def optional(self, name: str, columns: list[str] | None = None, *, why: str) -> pa.Table | None:
        """The table, or None with a note saying what is not measured without it."""
        if self.has(name):
            return self.table(name, columns)
        self.notes.append(f"{name}.parquet absent: {why}")
        return None

    def text(self, name: str, columns: Sequence[str]) -> pa.Table:
        """The string ``columns`` of ``name``.parquet, dictionary-encoded, whatever the
        contract says of them (the card scan: a card number in a malformed table is still a
        leak); the table `table` read whole when it did."""
        kept = self.read.get(self.file(name))
        if kept is not None:
            return kept.select(list(columns))
        return self._read(name, columns, dictionary=columns, check=False)

    def frame(self, name: str, columns: Sequence[str] | None = None) -> pd.DataFrame | None:
        """The table as a pandas frame (only ``columns`` that exist), None when absent."""
        if not self.has(name):
            return None
        frame: pd.DataFrame = self._read(name, columns).to_pandas()
        return frame

    def journal(self, name: str = "erp/journal") -> pd.DataFrame | None:
        """A request journal with a ``t`` column in simulated seconds (derived if absent)."""
        import pandas as pd

        frame = self.frame(name)
        if frame is None:
            return None
        if "t" not in frame.columns:
            if "ts" not in frame.columns:
                raise RunDirError(f"{self.file(name)}: needs a ts or t column")
            ts = pd.to_datetime(frame["ts"], utc=True)
            epoch = (ts - pd.Timestamp(0, tz="UTC")).dt.total_seconds()
            frame["t"] = self.sim_t(epoch)
        return frame

    def sim_t(self, wall: pd.Series) -> pd.Series:
        """Wall epoch seconds → simulated seconds since the start (run.json's origin)."""
        import pandas as pd

        origin = self.wall_origin
        if origin is None:
            return pd.Series(float("nan"), index=wall.index)
        return (wall.astype("float64") - origin) * (self.speed or 1.0)

    def _read(
        self,
        name: str,
        columns: Sequence[str] | None,
        *,
        needed: Collection[str] = (),
        dictionary: Collection[str] = (),
        check: bool = True,
    ) -> pa.Table:
        try:
            table = read_table(
                self.path, name, columns, needed=needed, dictionary=dictionary, check=check
            )
        except ContractError as error:
            raise RunDirError(str(error)) from None
        try:  # a footer that parses says nothing of the pages: a flipped bit reads "fine"
            table.validate(full=True)
        except pa.ArrowException as error:
            raise RunDirError(f"{self.file(name)}: {_corrupt(error)}") from None
        return table


def _corrupt(error: Exception) -> str:
    """What `domain.rundir` says of a table it cannot read, for one whose values are broken
    (only the first phrase of Arrow's message: what follows may be bytes of the file)."""
    head = "".join(c for c in str(error).split(":", 1)[0] if c.isprintable() and c.isascii())
    return (
        f"cannot read it as Parquet ({head.strip()[:100] or 'invalid values'}): the file is "
        "corrupt or not a table; write the run again or restore the file"
    )


def _one_line(error: Exception) -> str:
    """An error's message on one line (a YAML error spans several)."""
    return " ".join(str(error).split())


def _mapping(file: Path, parse: Any, language: str, what: str) -> dict[str, Any]:
    """``file`` parsed as a mapping ({} when absent); `RunDirError` naming it otherwise."""
    if not file.is_file():
        return {}
    try:
        data = parse(file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise RunDirError(f"{file}: not valid {language} (not UTF-8 text)") from None
    except (OSError, ValueError, yaml.YAMLError) as error:
        raise RunDirError(f"{file}: not valid {language} ({_one_line(error)})") from None
    if not isinstance(data, dict):
        raise RunDirError(f"{file}: must hold {what}, got {type(data).__name__}")
    return data
