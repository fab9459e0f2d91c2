"""Read a run directory (layout in README, "Run directory"): tables, run.json, scenario.yaml.

Verification only reads files; required tables missing is a `RunDirError` (a usage error),
optional ones missing leave a note and that part of the verdict unmeasured.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from reports._errors import RunDirError

__all__ = ["RunDir"]

REQUIRED = ("truth/transactions", "truth/lines", "erp/documents", "erp/document_lines")
COLUMNS: dict[str, tuple[str, ...]] = {
    "truth/transactions": ("txn_id", "kind", "t", "total_minor", "tax_minor", "original_txn_id"),
    "truth/lines": ("txn_id", "sku", "quantity", "unit_price_minor", "net_minor", "voided", "t"),
    "truth/catalog": ("sku", "tax_rate", "price_minor"),
    "truth/tenders": ("txn_id", "kind"),
    "truth/stock_final": ("store_id", "sku", "physical", "pos_book"),
    "erp/documents": (
        "document_id",
        "kind",
        "external_document_number",
        "status",
        "total_minor",
        "tax_minor",
        "committed_t",
    ),
    "erp/document_lines": (
        "document_id",
        "sku",
        "quantity",
        "unit_price_minor",
        "discount_minor",
        "tax_minor",
    ),
    "erp/journal": ("credential",),
    "erp/items": ("sku", "unit_price_minor"),
    "erp/price_changes": ("sku", "t", "unit_price_minor"),
    "erp/customers": ("email",),
    "pos/orders": ("reference_id",),
    "samples/stock": ("sample_id", "t", "store_id", "sku", "pos_qty", "erp_qty"),
    "faults": ("id", "target", "kind", "start_t", "end_t"),
}
"""Columns verification needs from each table (others are ignored)."""
DICTIONARY_COLUMNS = frozenset(
    {"sku", "store_id", "kind", "status", "currency", "description", "sample_id", "credential"}
)
"""Low-cardinality string columns read dictionary-encoded (looked up once per value)."""


@dataclass
class RunDir:
    """A run directory opened for verification."""

    path: Path
    run: Mapping[str, Any]
    scenario: Mapping[str, Any]
    notes: list[str] = field(default_factory=list)
    read: dict[Path, pa.Table] = field(default_factory=dict)
    """Tables read whole (no column selection), kept for the card scan to reuse."""

    @classmethod
    def open(cls, path: Path) -> RunDir:
        """Check the directory holds what verification needs and read its metadata."""
        path = Path(path)
        if not path.is_dir():
            raise RunDirError(f"{path}: not a run directory; pass the OUT/<run> directory")
        for name in REQUIRED:
            if not (path / f"{name}.parquet").is_file():
                raise RunDirError(
                    f"{path}: {name}.parquet is missing; verify a finished live run "
                    "(the harness writes it after the quiesce phase)"
                )
        return cls(path, _read_json(path / "run.json"), _read_yaml(path / "scenario.yaml"))

    def has(self, name: str) -> bool:
        return (self.path / f"{name}.parquet").is_file()

    def table(self, name: str, columns: list[str] | None = None) -> pa.Table:
        """``name``.parquet (e.g. ``truth/lines``), only ``columns`` if given."""
        file = self.path / f"{name}.parquet"
        try:
            schema = pq.read_schema(file)
            absent = [
                c for c in (*COLUMNS.get(name, ()), *(columns or ())) if c not in schema.names
            ]
            if absent:
                raise RunDirError(
                    f"{file}: column {absent[0]} is missing; the run directory layout (README) "
                    "lists the columns each table must have"
                )
            wanted = schema.names if columns is None else columns
            dictionary = [
                name
                for name in wanted
                if name in DICTIONARY_COLUMNS
                and name in schema.names
                and pa.types.is_string(schema.field(name).type)
            ]
            table = pq.read_table(file, columns=columns, read_dictionary=dictionary)
            if columns is None:
                self.read[file] = table
        except (OSError, pa.ArrowInvalid) as error:
            raise RunDirError(f"{file}: cannot read it as Parquet ({error})") from None
        return table

    def optional(self, name: str, columns: list[str] | None = None, *, why: str) -> pa.Table | None:
        """The table, or None with a note saying what is not measured without it."""
        if self.has(name):
            return self.table(name, columns)
        self.notes.append(f"{name}.parquet absent: {why}")
        return None

    @property
    def speed(self) -> float | None:
        """Simulated seconds per wall second (run.json, else the scenario, else 1).

        None when run.json says ``"speed": null``: a simulated run has no wall clock.
        """
        if "speed" in self.run and self.run["speed"] is None:
            return None
        value = self.run.get("speed", self.scenario.get("speed", 1.0))
        try:
            speed = float(value)
        except (TypeError, ValueError):
            raise RunDirError(f"run.json: speed must be a number > 0, got {value!r}") from None
        if speed <= 0:
            raise RunDirError(f"run.json: speed must be a number > 0, got {value!r}")
        return speed

    def time(self, key: str) -> float | None:
        """A simulated time from run.json (``traffic_end_t``, ``quiesce_end_t``)."""
        value = self.run.get(key)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise RunDirError(f"run.json: {key} must be sim seconds, got {value!r}") from None


def _read_json(file: Path) -> Mapping[str, Any]:
    if not file.is_file():
        return {}
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise RunDirError(f"{file}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise RunDirError(f"{file}: must hold a JSON object, got {type(data).__name__}")
    return data


def _read_yaml(file: Path) -> Mapping[str, Any]:
    if not file.is_file():
        return {}
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise RunDirError(f"{file}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise RunDirError(f"{file}: must hold a mapping, got {type(data).__name__}")
    return data
