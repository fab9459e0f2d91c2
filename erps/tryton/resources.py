"""tillbench's files for Tryton, read as package data through `importlib.resources`.

Two kinds: the ``tillbench_pos`` Tryton module (``erps/tryton/module/tillbench_pos``, copied
into the Tryton environment's ``trytond/modules``) and the master-data loader
(``erps/tryton/load_master.py``, executed by the Tryton environment's python). Both are
found through the installed `erps` package, so a wheel works as well as a checkout.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.resources
from collections.abc import Iterator
from importlib.resources.abc import Traversable
from pathlib import Path

__all__ = [
    "MODULE_NAME",
    "copy_module",
    "loader_hash",
    "loader_path",
    "module_files",
    "module_hash",
]

MODULE_NAME = "tillbench_pos"
_LOADER = "load_master.py"
_SKIP = "__pycache__"


def _module_root() -> Traversable:
    return importlib.resources.files("erps.tryton.module").joinpath(MODULE_NAME)


def module_files() -> dict[str, Traversable]:
    """The module's files by their path inside it (``tryton.cfg``, ``sale.py``, …), sorted."""
    found: dict[str, Traversable] = {}

    def walk(node: Traversable, prefix: str) -> None:
        for child in node.iterdir():
            if child.name == _SKIP:
                continue
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            else:
                found[prefix + child.name] = child

    walk(_module_root(), "")
    return dict(sorted(found.items()))


def module_hash() -> str:
    """A digest of the module's files (part of every database's cache key)."""
    digest = hashlib.sha256()
    for name, file in module_files().items():
        digest.update(name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def copy_module(target: Path) -> None:
    """Write the module's files into the directory `target` (created, not emptied)."""
    for name, file in module_files().items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.read_bytes())


def loader_hash() -> str:
    """A digest of the master-data loader's source (part of every database's cache key)."""
    source = importlib.resources.files("erps.tryton").joinpath(_LOADER).read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]


@contextlib.contextmanager
def loader_path() -> Iterator[Path]:
    """The loader as a file on disk for as long as the block runs."""
    with importlib.resources.as_file(
        importlib.resources.files("erps.tryton").joinpath(_LOADER)
    ) as path:
        yield path
