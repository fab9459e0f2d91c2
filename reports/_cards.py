"""Card-number leaks: Luhn-valid 13–19 digit sequences found beyond the POS.

Scanned: every Parquet table of the run directory except ``truth/`` (the simulator's record
of what cashiers typed) and ``pos/`` (the POS may hold them), which covers the ERP's
documents, lines and customers; and every file under ``connector/``, read as bytes so
binary stores are searched too: logs (found by line) and the connector's state (queues,
databases; found by byte offset). Digits may be grouped by single spaces or
dashes; a sequence glued to letters or digits, directly or by a dash (hashes, UUIDs), is
not a card number, nor are
columns holding hashes (``*sha256*``) or GTINs (``gtin``). Only the last four digits of a
finding are ever kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from reports._rundir import RunDir
from reports._verdict import CardLeak, CardLeaks

__all__ = ["FINDINGS", "find_pans", "luhn", "mask", "scan_run"]

FINDINGS = 100
_CANDIDATE = r"[0-9](?:[ -]?[0-9]){12,}"
_SEQUENCE = re.compile(
    r"(?<![0-9A-Za-z])(?<![0-9A-Za-z]-)[0-9](?:[ -]?[0-9]){12,}(?![0-9A-Za-z]|-[0-9A-Za-z])"
)
_SEPARATOR = re.compile(r"[ -]")
_SKIPPED_DIRS = ("truth", "pos")
_LOG_SUFFIXES = frozenset({".log", ".txt", ".out", ".err", ".jsonl"})
_CHUNK = 8 << 20
_OVERLAP = 64


def luhn(digits: str) -> bool:
    """The Luhn (mod 10) check of a string of digits."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def mask(digits: str) -> str:
    """All but the last four digits starred: ``************1111``."""
    return "*" * (len(digits) - 4) + digits[-4:]


def find_pans(text: str) -> Iterator[tuple[int, str]]:
    """(offset, digits) of each card number in ``text``; groups are tried as a whole first."""
    for match in _SEQUENCE.finditer(text):
        groups = _SEPARATOR.split(match.group())
        found = _first_card(groups)
        if found is not None:
            yield match.start(), found


def _first_card(groups: list[str]) -> str | None:
    for start in range(len(groups)):
        for stop in range(len(groups), start, -1):
            digits = "".join(groups[start:stop])
            if 13 <= len(digits) <= 19 and luhn(digits):
                return digits
        if len(groups) == 1:
            break
    return None


def scan_run(run: RunDir) -> CardLeaks:
    """Every card number beyond the POS in ``run``; tables it read whole are not re-read."""
    findings: list[CardLeak] = []
    count = 0
    scanned: list[str] = []
    for file in sorted(run.path.rglob("*")):
        relative = file.relative_to(run.path)
        if not file.is_file() or relative.parts[0] in _SKIPPED_DIRS:
            continue
        in_connector = relative.parts[0] == "connector"
        if file.suffix == ".parquet":
            where = (
                "erp"
                if relative.parts[0] == "erp"
                else "connector log"
                if in_connector
                else "table"
            )
            leaks = _scan_table(run, relative.with_suffix("").as_posix(), where)
        elif in_connector:
            leaks = _scan_file(file, relative.as_posix(), _connector_kind(relative))
        else:
            continue
        scanned.append(relative.as_posix())
        for leak in leaks:
            count += 1
            if len(findings) < FINDINGS:
                findings.append(leak)
    return CardLeaks(count=count, findings=findings, scanned=scanned)


def _scan_table(run: RunDir, table_name: str, where: str) -> Iterator[CardLeak]:
    """Each distinct value is searched once: string columns are read dictionary-encoded."""
    name = f"{table_name}.parquet"
    kept = run.read.get(run.file(table_name))
    schema = kept.schema if kept is not None else run.schema(table_name)
    columns = [
        field.name
        for field in schema
        if _is_text(field.type)
        and "sha256" not in field.name.lower()
        and "gtin" not in field.name.lower()
    ]
    if not columns:
        return
    table = run.text(table_name, columns)
    for column in columns:
        offset = 0
        for chunk in table.column(column).chunks:
            values = chunk.dictionary if pa.types.is_dictionary(chunk.type) else chunk
            hits = pc.indices_nonzero(
                pc.fill_null(pc.match_substring_regex(values.cast(pa.string()), _CANDIDATE), False)
            )
            if len(hits):
                rows = (
                    pc.indices_nonzero(pc.is_in(chunk.indices, value_set=hits))
                    if pa.types.is_dictionary(chunk.type)
                    else hits
                )
                for row in rows.to_pylist():
                    text = chunk[row].as_py()
                    for _, digits in find_pans(text):
                        location = f"{name} column {column} row {offset + row}"
                        yield CardLeak(where, location, mask(digits))
            offset += len(chunk)


def _is_text(kind: pa.DataType) -> bool:
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _connector_kind(relative: Path) -> str:
    named_log = any("log" in part.lower() for part in relative.parts[1:])
    return "connector log" if named_log or relative.suffix in _LOG_SUFFIXES else "connector state"


def _scan_file(file: Path, name: str, where: str) -> Iterator[CardLeak]:
    """Chunked, so a large log is never read whole; chunks overlap to catch split numbers."""
    lines_before = 0
    read_before = 0
    tail = ""
    with file.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            final = len(chunk) < _CHUNK
            text = tail + chunk.decode("latin-1")
            skip = 1 if tail else 0
            cut = len(text) if final else len(text) - _OVERLAP
            for offset, digits in find_pans(text):
                if skip <= offset < cut:
                    if where == "connector log":
                        line = lines_before + text.count("\n", skip, offset) + 1
                        location = f"{name} line {line}"
                    else:
                        location = f"{name} byte {read_before + offset - skip}"
                    yield CardLeak(where, location, mask(digits))
            if final:
                return
            lines_before += text.count("\n", skip, cut)
            read_before += cut - skip
            tail = text[cut - 1 :]
