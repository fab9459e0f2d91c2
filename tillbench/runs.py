"""Run directories: `OUT/<timestamp>-<scenario>/`, the contract between producers and reports.

Output paths are checked before any work: `check_folder` for a folder that is created if
missing (``--out`` of run, simulate, export, compare), `check_file` for a file written there
(``report --out``, ``calibrate --out``). Each raises `OutError`, one line naming the option
and the path::

    --out runs.txt: a file is there, not a folder; give a folder (created if missing)
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

DEFAULT_OUT = Path("runs")

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class OutError(ValueError):
    """An output path that cannot be written; the message is one line naming the option."""


def _existing_ancestor(path: Path) -> Path:
    """The nearest of ``path`` and its parents that exists (``.`` at worst)."""
    for candidate in (path, *path.parents):
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return Path(".")


def _creatable(path: Path, option: str) -> None:
    """Raise `OutError` unless the missing folder ``path`` can be created."""
    found = _existing_ancestor(path)
    if not found.is_dir():
        kind = "a broken link" if found.is_symlink() and not found.exists() else "a file"
        raise OutError(f"{option} {path}: {found} is {kind}, not a folder, so it cannot be created")
    if not os.access(found, os.W_OK | os.X_OK):
        raise OutError(f"{option} {path}: {found} is not writable")


def check_folder(path: Path, *, option: str = "--out") -> None:
    """Raise `OutError` unless ``path`` is a writable folder or can be created as one."""
    if path.is_dir():
        if not os.access(path, os.W_OK | os.X_OK):
            raise OutError(f"{option} {path}: the folder is not writable")
        return
    if path.exists() or path.is_symlink():
        raise OutError(
            f"{option} {path}: a file is there, not a folder; give a folder (created if missing)"
        )
    _creatable(path, option)


def check_file(path: Path, *, option: str = "--out") -> None:
    """Raise `OutError` unless a file can be written at ``path`` (its folder created)."""
    if path.is_dir():
        raise OutError(f"{option} {path}: a folder is there; give a file name")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise OutError(f"{option} {path}: the file is not writable")
        return
    _creatable(path.parent, option)


def new_run_dir(out: Path, scenario_name: str, *, now: dt.datetime | None = None) -> Path:
    """Create and return a fresh run directory under `out` (`OutError` if it cannot be).

    The name is the wall-clock start (UTC, to the second) and the scenario name; a numeric
    suffix keeps two runs started in the same second apart.
    """
    check_folder(out)
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    base = f"{stamp}-{_UNSAFE.sub('-', scenario_name).strip('-') or 'scenario'}"
    out.mkdir(parents=True, exist_ok=True)
    for n in range(1000):
        candidate = out / (base if n == 0 else f"{base}.{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{out}: too many runs named {base}; clean up old runs")


__all__ = ["DEFAULT_OUT", "OutError", "check_file", "check_folder", "new_run_dir"]
